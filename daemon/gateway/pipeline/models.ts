import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeConfig, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';
import { attemptUpstream } from '../resilience/attempt';
import { isRecord, parseJson, stringifyJson } from '../../shared/json';
import { startCall } from './call';
import { credentialOf, keysFor, knownSecrets } from './credentials';
import { downstreamHeaders, upstreamHeaders } from './headers';
import { logRowSafely } from './record-safely';
import { clientTagOf, respondWithError, type PipelineDeps } from './proxy';
import { classifyStatus, FAILURE_POLICY, upstreamErrorMessage } from '../resilience/failure-class';

/**
 * GET /v1/models: the default provider's list (the Anthropic provider's when the caller speaks
 * Anthropic's API), with the config's model aliases added so that tools which offer a model
 * picker show them.
 */
export async function handleModels(req: IncomingMessage, res: ServerResponse, deps: PipelineDeps): Promise<void> {
  const runtime = deps.config.current();
  const flavor = req.headers['anthropic-version'] ? 'anthropic' : 'openai';
  const call = startCall('models', clientTagOf(req), runtime.config.logging.maxBodyBytes);
  res.once('close', () => {
    if (!res.writableFinished) call.cancellation.cancel();
    const row = logRowSafely(call, res, runtime.config, false);
    if (row) deps.log.write(row);
  });
  try {
    const provider = listingProvider(runtime, flavor);
    call.provider = provider.id;
    const keys = keysFor(provider, credentialOf(req, deps.token));
    if (keys instanceof GatewayError) throw keys;
    const key = keys[0]!;
    call.keyAlias = key.alias;
    call.attempts = 1;
    const result = await attemptUpstream({
      url: provider.urls.models ?? new URL(`${provider.baseUrl}/models`),
      method: 'GET',
      headers: upstreamHeaders(req.headers, provider.headers, provider.adapter.requiredHeaders, key.value ? provider.adapter.authHeaders(key.value) : {}),
      body: undefined,
      cancellation: call.cancellation,
      timeouts: runtime.config.resilience.timeouts,
      secrets: () => knownSecrets(runtime, deps.token, key),
    });
    if (result.kind === 'failed') throw result.error;
    if (result.kind !== 'complete') {
      result.open.response.destroy();
      throw new GatewayError(502, 'provider_malformed_response', `The provider answered the model list with ${result.kind === 'stream' ? 'a stream' : 'a body over 1 MB'}`);
    }
    let body = result.body;
    const status = result.status;
    if (status < 400) body = withAliases(body, runtime, flavor);
    else {
      call.errorClass = FAILURE_POLICY[classifyStatus(status, body)].errorClass;
      call.errorMessage = upstreamErrorMessage(body);
    }
    const headers = downstreamHeaders(result.headers, call);
    headers['content-length'] = body.length;
    call.ttfbMs = performance.now() - call.t0;
    res.writeHead(status, headers);
    res.end(body);
  } catch (error) {
    respondWithError(res, { flavor }, call, error);
  }
}

/** The provider a request naming no model goes to: the Anthropic one for Anthropic's API, else the default (an OpenAI-type one if it is not). */
export function listingProvider(runtime: RuntimeConfig, flavor: 'openai' | 'anthropic'): RuntimeProvider {
  if (flavor === 'anthropic') return runtime.providerList.find((p) => p.type === 'anthropic') ?? runtime.defaultProvider;
  return runtime.defaultProvider.type === 'openai'
    ? runtime.defaultProvider
    : (runtime.providerList.find((p) => p.type === 'openai') ?? runtime.defaultProvider);
}

function withAliases(body: Buffer, runtime: RuntimeConfig, flavor: 'openai' | 'anthropic'): Buffer {
  const list = parseJson(body.toString('utf8'));
  const aliases = gatewayModels(runtime);
  if (!isRecord(list) || !Array.isArray(list['data']) || aliases.length === 0) return body;
  return Buffer.from(stringifyJson({ ...list, data: [...list['data'], ...aliases.map((id) => gatewayModelEntry(id, flavor))] }));
}

/** The model names the gateway itself answers for: the config's aliases, and "auto" once a routing tier is mapped. */
export function gatewayModels(runtime: RuntimeConfig): string[] {
  const routed = Object.values(runtime.config.routing.tiers).some((destination) => destination !== undefined) && !Object.hasOwn(runtime.config.models, 'auto');
  return [...Object.keys(runtime.config.models), ...(routed ? ['auto'] : [])];
}

/** One of those models as each API's model list shows a model. */
export function gatewayModelEntry(id: string, flavor: 'openai' | 'anthropic'): Record<string, unknown> {
  return flavor === 'anthropic'
    ? { type: 'model', id, display_name: `${id} (Tollgate alias)`, created_at: new Date(0).toISOString() }
    : { id, object: 'model', created: 0, owned_by: 'tollgate' };
}
