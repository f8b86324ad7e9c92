import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigManager } from '../config/manager';
import { readBody } from '../http/body';
import { errorBody, GatewayError } from '../http/errors';
import { sendUpstream } from '../providers/upstream';
import { resolveModel } from '../routing/resolve';
import type { LogSink } from '../store/log-row';
import { parseJson } from '../usage/types';
import { startCall, type ProxyCall } from './call';
import { answerFromCache, cacheDecision, cacheKeyFor } from './cache';
import { callerKey, chooseCredential } from './credentials';
import type { CacheStore } from '../store/cache-store';
import type { ProxyEndpoint } from './endpoints';
import { tollgateHeaders, upstreamHeaders } from './headers';
import { buildLogRow } from './record';
import { relayJson } from './relay-json';
import { relayStream } from './relay-stream';
import type { ProxiedBody } from './request-schemas';
import { upstreamBody } from './upstream-body';

export interface PipelineDeps {
  config: ConfigManager;
  log: LogSink;
  cache: CacheStore;
  /** The daemon token: a caller presenting it is served with the keys the gateway holds. */
  token: string;
}

/**
 * One proxied call, start to finish: receive → validate → resolve → dispatch → relay → record.
 * Whatever happens, the call is logged exactly once, when its response closes.
 */
export async function handleProxy(req: IncomingMessage, res: ServerResponse, endpoint: ProxyEndpoint, deps: PipelineDeps): Promise<void> {
  const runtime = deps.config.current();
  const call = startCall(endpoint.kind, clientTagOf(req), runtime.config.logging.maxBodyBytes);
  res.once('close', () => {
    if (!res.writableFinished) call.cancellation.cancel();
    deps.log.write(buildLogRow(call, res, runtime.config, runtime.config.logging.bodies));
  });
  try {
    call.requestBody = await readBody(req, runtime.config.server.maxRequestBytes);
    const body = validate(endpoint, call.requestBody);
    call.body = body;
    call.requestedModel = body.model;
    call.stream = body.stream === true;
    call.billed = endpoint.billed;
    const target = resolveModel(runtime, body.model).targets[0]!;
    const { provider } = target;
    call.provider = provider.id;
    call.upstreamModel = target.model;
    call.pricing = { pricingProvider: provider.pricingId, baseUrl: provider.baseUrl };
    const path = provider.adapter.paths[endpoint.kind];
    if (path === undefined) throw unsupported(endpoint, provider.id, provider.type);
    const credential = chooseCredential(provider, callerKey(req), deps.token);
    call.keyAlias = credential.alias;
    const caching = cacheDecision(req, call, runtime.config);
    call.cache = caching === 'lookup' ? 'miss' : caching;
    if (caching === 'lookup') {
      call.cacheKey = cacheKeyFor(call, call.requestBody);
      if (answerFromCache(deps.cache, call.cacheKey, call, res)) return;
    }
    const outgoing = upstreamBody(endpoint.kind, call.requestBody, body, target.model);
    call.attempts = 1;
    const upstream = await sendUpstream({
      url: new URL(provider.baseUrl + path + queryOf(req.url)),
      method: 'POST',
      headers: upstreamHeaders(req.headers, provider.headers, provider.adapter.requiredHeaders, credential.apiKey ? provider.adapter.authHeaders(credential.apiKey) : {}),
      body: outgoing.bytes,
      cancellation: call.cancellation,
    });
    if (isEventStream(upstream)) await relayStream(call, upstream, res, endpoint, outgoing.hideUsageChunk);
    else await relayJson(call, upstream, res, endpoint, runtime.config);
  } catch (error) {
    respondWithError(res, endpoint, call, error);
  }
}

function validate(endpoint: ProxyEndpoint, raw: Buffer): ProxiedBody {
  const json = parseJson(raw.toString('utf8'));
  if (json === undefined) {
    throw new GatewayError(400, 'caller_invalid_json', raw.length === 0 ? 'Request body is empty; expected a JSON object.' : 'Request body is not valid JSON.');
  }
  const result = endpoint.schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = issue.path.map(String).join('.');
  throw new GatewayError(400, 'caller_invalid_request', param ? `Invalid request: ${param}: ${issue.message}` : `Invalid request: ${issue.message}`, {
    ...(param ? { param } : {}),
  });
}

function unsupported(endpoint: ProxyEndpoint, providerId: string, type: string): GatewayError {
  return new GatewayError(
    400,
    'caller_unsupported_endpoint',
    `Provider "${providerId}" (type ${type}) does not serve ${endpoint.path}. Pick a model served by a provider that speaks this API.`,
    { param: 'model' },
  );
}

export function respondWithError(res: ServerResponse, endpoint: Pick<ProxyEndpoint, 'flavor'>, call: ProxyCall, error: unknown): void {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : new GatewayError(500, 'gateway_internal', `Tollgate failed to handle the request: ${error instanceof Error ? error.message : String(error)}`);
  call.errorClass ??= gatewayError.errorClass;
  call.errorMessage ??= gatewayError.message;
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = errorBody(endpoint.flavor, gatewayError);
  res.writeHead(gatewayError.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...tollgateHeaders(call),
    ...gatewayError.options.headers,
    // An oversized upload is not read to its end; closing is the only way to stop it.
    ...(gatewayError.errorClass === 'caller_payload_too_large' ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function isEventStream(upstream: IncomingMessage): boolean {
  return (upstream.headers['content-type'] ?? '').startsWith('text/event-stream') && (upstream.statusCode ?? 500) < 400;
}

function queryOf(url: string | undefined): string {
  const index = url?.indexOf('?') ?? -1;
  return index === -1 ? '' : url!.slice(index);
}

/** Which tool or part of an app made the call: an explicit tag, else the user agent. */
function clientTagOf(req: IncomingMessage): string | null {
  const tag = req.headers['x-tollgate-tag'];
  if (typeof tag === 'string' && tag !== '') return tag.slice(0, 200);
  return req.headers['user-agent']?.slice(0, 200) ?? null;
}
