import type { IncomingMessage } from 'node:http';
import type { ProviderKey, RuntimeConfig } from '../config/runtime';
import type { UpstreamRequest } from '../providers/upstream';
import type { DispatchPlan } from '../resilience/dispatch';
import type { Target } from '../routing/resolve';
import type { ProxyCall } from './call';
import { keysFor, knownSecrets, type Credential } from './credentials';
import type { ProxyEndpoint } from './endpoints';
import { upstreamHeaders } from './headers';
import { outputCapOf, type ProxiedBody } from './request-schemas';
import type { Route } from './route';
import { upstreamBody } from './upstream-body';

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

/** The dispatcher's view of one call: which keys each target may use, and the request to send it. */
export function upstreamPlan({ req, call, endpoint, body, route, runtime, credential, token }: PlanInput): DispatchPlan & { hideUsageChunk: boolean } {
  const query = queryOf(req.url);
  const bodies = new Map<string, ReturnType<typeof upstreamBody>>();
  const bodyFor = (model: string): ReturnType<typeof upstreamBody> => {
    let prepared = bodies.get(model);
    if (!prepared) bodies.set(model, (prepared = upstreamBody(endpoint.kind, call.requestBody!, body, model)));
    return prepared;
  };
  const resilience = runtime.config.resilience;
  return {
    targets: route.targets,
    largerContext: route.largerContext,
    keysFor: (target) => keysFor(target.provider, credential),
    requestFor: (target: Target, key: ProviderKey): UpstreamRequest => {
      const { provider } = target;
      return {
        url: query ? new URL(provider.baseUrl + provider.adapter.paths[endpoint.kind]! + query) : provider.urls[endpoint.kind]!,
        method: 'POST',
        headers: upstreamHeaders(req.headers, provider.headers, provider.adapter.requiredHeaders, key.value ? provider.adapter.authHeaders(key.value) : {}),
        body: bodyFor(target.model).bytes,
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
    hideUsageChunk: bodyFor(route.targets[0]!.model).hideUsageChunk,
  };
}

function queryOf(url: string | undefined): string {
  const index = url?.indexOf('?') ?? -1;
  return index === -1 ? '' : url!.slice(index);
}
