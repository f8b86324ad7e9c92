import type { IncomingMessage } from 'node:http';
import type { ProviderKey, RuntimeConfig } from '../config/runtime';
import type { GatewayError } from '../http/errors';
import type { UpstreamRequest } from '../providers/upstream';
import type { DispatchPlan } from '../resilience/dispatch';
import type { Target } from '../routing/resolve';
import { translationFor, type Translation } from '../translate/translation';
import type { ProxyCall } from './call';
import { keysFor, knownSecrets, type Credential } from './credentials';
import type { ProxyEndpoint } from './endpoints';
import { upstreamHeaders } from './headers';
import { outputCapOf, type ProxiedBody } from './request-schemas';
import type { Route } from './route';
import { hidesUsageChunk, translatedBody, upstreamBody, type UpstreamBody } from './upstream-body';

export interface PlanInput {
  req: IncomingMessage;
  call: ProxyCall;
  endpoint: ProxyEndpoint;
  body: ProxiedBody;
  route: Route;
  runtime: RuntimeConfig;
  credential: Credential;
  /** The daemon token, which no upstream error body may carry back. */
  token: string;
}

/**
 * The dispatcher's view of one call: which keys each target may use, and the request to send
 * it. A target whose provider speaks another API gets the request translated; when the request
 * has a field that does not translate, those targets are left out, and with no target left the
 * call is refused with the 400 that names the field, before any provider is asked.
 */
export function upstreamPlan({ req, call, endpoint, body, route, runtime, credential, token }: PlanInput): DispatchPlan & { hideUsageChunk: boolean } {
  const query = queryOf(req.url);
  const bodies = new Map<string, UpstreamBody>();
  const translated = new Map<Translation, Record<string, unknown> | GatewayError>();
  const translate = (translation: Translation): Record<string, unknown> | GatewayError => {
    let result = translated.get(translation);
    if (result === undefined) {
      try {
        result = translation.request(body);
      } catch (error) {
        result = error as GatewayError;
      }
      translated.set(translation, result);
    }
    return result;
  };
  const bodyFor = (target: Target, translation: Translation | undefined): UpstreamBody => {
    const key = translation ? `${translation.wire}\0${target.model}` : target.model;
    let prepared = bodies.get(key);
    if (!prepared) {
      prepared = translation ? translatedBody(translate(translation) as Record<string, unknown>, target.model) : upstreamBody(endpoint.kind, call.requestBody!, body, target.model);
      bodies.set(key, prepared);
    }
    return prepared;
  };
  const servable = (target: Target): boolean => {
    const translation = translationFor(endpoint.kind, target.provider.adapter);
    return !translation || !(translate(translation) instanceof Error);
  };
  const targets = route.targets.filter(servable);
  if (targets.length === 0) throw [...translated.values()].find((result) => result instanceof Error)!;
  const resilience = runtime.config.resilience;
  return {
    targets,
    largerContext: route.largerContext && servable(route.largerContext) ? route.largerContext : undefined,
    keysFor: (target) => keysFor(target.provider, credential),
    requestFor: (target: Target, key: ProviderKey): UpstreamRequest => {
      const { provider } = target;
      const translation = translationFor(endpoint.kind, provider.adapter) ?? undefined;
      const kind = translation?.wire ?? endpoint.kind;
      // A translated call carries neither the caller's query (?beta=true) nor its API's own headers.
      const url = query && !translation ? new URL(provider.baseUrl + provider.adapter.paths[kind]! + query) : provider.urls[kind]!;
      const incoming = translation ? withoutApiHeaders(req.headers) : req.headers;
      return {
        url,
        method: 'POST',
        headers: upstreamHeaders(incoming, provider.headers, provider.adapter.requiredHeaders, key.value ? provider.adapter.authHeaders(key.value) : {}),
        body: bodyFor(target, translation).bytes,
        cancellation: call.cancellation,
        timeouts: resilience.timeouts,
        secrets: () => knownSecrets(runtime, token, key),
      };
    },
    // About 4 bytes a token, plus the output the caller allows (providers count max_tokens the
    // same way): good enough to admit calls against a tokens-per-minute bucket; corrected by usage.
    estimatedTokens: Math.ceil(call.requestBody!.length / 4) + (outputCapOf(body) ?? 0),
    resilience,
    isCancelled: () => call.cancellation.cancelled,
    hideUsageChunk: hidesUsageChunk(endpoint.kind, body),
  };
}

/** anthropic-version, anthropic-beta, openai-organization…: they speak of the caller's API, not the provider's. */
function withoutApiHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const kept: IncomingMessage['headers'] = {};
  for (const name in headers) if (!name.startsWith('anthropic-') && !name.startsWith('openai-')) kept[name] = headers[name];
  return kept;
}

function queryOf(url: string | undefined): string {
  const index = url?.indexOf('?') ?? -1;
  return index === -1 ? '' : url!.slice(index);
}
