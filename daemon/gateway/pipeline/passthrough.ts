import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { isRecord, parseJson, stringifyJson } from '../../shared/json';
import type { RuntimeConfig, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';
import { readBody } from '../http/body';
import { resolveModel } from '../routing/resolve';
import { openaiUsage } from '../usage/openai-chat';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';
import { startCall, type ProxyCall } from './call';
import { credentialOf, keysFor, knownSecrets } from './credentials';
import { scrubSecrets } from '../resilience/scrub-secrets';
import { upstreamErrorMessage } from '../resilience/failure-class';
import { downstreamHeaders, tollgateHeaders, upstreamHeaders } from './headers';
import { logRowSafely } from './record-safely';
import { gatewayModelEntry, gatewayModels, listingProvider } from './models';
import { clientTagOf, respondWithError, type PipelineDeps } from './proxy';

/**
 * Every other path under /v1/ (legacy completions, moderations, images, audio, files, batches,
 * one model, Anthropic's message batches…): forwarded as it is to the provider the request's
 * `model` resolves to (else the Anthropic provider for an Anthropic-shaped request, else the
 * default provider), with the key Tollgate holds for it or the caller's own, and streamed both
 * ways. A JSON body is read to find its model (an alias is renamed to its target's model); any
 * other body (a multipart upload) is streamed through. Logged once, with usage and cost when the
 * answer carries them.
 */
export async function handlePassthrough(req: IncomingMessage, res: ServerResponse, deps: PipelineDeps): Promise<void> {
  const runtime = deps.config.current();
  const config = runtime.config;
  const path = new URL(req.url ?? '/', 'http://127.0.0.1');
  const flavor = req.headers['anthropic-version'] ? 'anthropic' : 'openai';
  const call = startCall(endpointLabel(path.pathname), clientTagOf(req), config.logging.maxBodyBytes);
  res.once('close', () => {
    if (!res.writableFinished) call.cancellation.cancel();
    const row = logRowSafely(call, res, config, config.logging.bodies);
    if (row) deps.log.write(row);
  });
  try {
    const json = isJson(req) ? await readBody(req, config.server.maxRequestBytes) : undefined;
    if (json) call.requestBody = json;
    const parsed = json && json.length > 0 ? parseJson(json.toString('utf8')) : undefined;
    const modelPath = /^\/v1\/models\/(.+)$/.exec(path.pathname);
    const pathModel = modelPath ? decodeURIComponent(modelPath[1]!) : undefined;
    // One model, as GET /v1/models lists it: an alias (or "auto") is Tollgate's own answer.
    if (pathModel && gatewayModels(runtime).includes(pathModel)) return answerAlias(res, call, pathModel, flavor);
    const requested = pathModel ?? (isRecord(parsed) && typeof parsed['model'] === 'string' ? parsed['model'] : undefined);
    const credential = credentialOf(req, deps.token);
    const target = targetOf(runtime, requested, flavor, credential.kind === 'own');
    call.requestedModel = requested ?? null;
    call.provider = target.provider.id;
    call.upstreamModel = target.model ?? null;
    call.pricing = { pricingProvider: target.provider.pricingId, baseUrl: target.provider.baseUrl };
    const keys = keysFor(target.provider, credential);
    if (keys instanceof GatewayError) throw keys;
    const key = keys[0]!;
    call.keyAlias = key.alias;
    call.attempts = 1;
    let body = json;
    if (isRecord(parsed) && target.model && target.model !== requested) body = Buffer.from(stringifyJson({ ...parsed, model: target.model }));
    if (isRecord(parsed)) call.stream = parsed['stream'] === true;
    const headers = upstreamHeaders(req.headers, target.provider.headers, target.provider.adapter.requiredHeaders, key.value ? target.provider.adapter.authHeaders(key.value) : {});
    if (body) headers['content-length'] = body.length;
    else if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    // A model's own name at its provider goes in the path of GET /v1/models/{id}.
    const url = pathModel && target.model ? new URL(`/v1/models/${encodeURIComponent(target.model)}${path.search}`, path) : path;
    const secrets = (): readonly string[] => knownSecrets(runtime, deps.token, key);
    await forward({ call, req, res, body, url: upstreamUrl(target.provider, url), headers, method: req.method ?? 'GET', secrets });
  } catch (error) {
    respondWithError(res, { flavor }, call, error);
  }
}

function answerAlias(res: ServerResponse, call: ProxyCall, id: string, flavor: 'openai' | 'anthropic'): void {
  const body = JSON.stringify(gatewayModelEntry(id, flavor));
  call.ttfbMs = performance.now() - call.t0;
  call.response.add(Buffer.from(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...tollgateHeaders(call) });
  res.end(body);
}

/** The log's endpoint for a pass-through: its path without ids ("/v1/files", "/v1/messages/batches"). */
function endpointLabel(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean).slice(1);
  const kept = segments[0] === 'messages' || segments[0] === 'audio' || segments[0] === 'images' ? segments.slice(0, 2) : segments.slice(0, 1);
  // Labels are stored once each: a path a caller made up must not mint a new one per request.
  return kept.length > 0 && kept.every((segment) => /^[a-z][a-z0-9_-]{0,39}$/.test(segment)) ? `/v1/${kept.join('/')}` : '/v1/other';
}

function isJson(req: IncomingMessage): boolean {
  return String(req.headers['content-type'] ?? '').startsWith('application/json');
}

function targetOf(runtime: RuntimeConfig, requested: string | undefined, flavor: 'openai' | 'anthropic', ownKey: boolean): { provider: RuntimeProvider; model: string | undefined } {
  if (requested) {
    const resolution = resolveModel(runtime, requested);
    // A caller's own key goes where the name it sent points, never to another alias target.
    const target = ownKey ? resolution.targets.find((t) => t.provider === resolution.namedProvider) : resolution.targets[0];
    if (target) return { provider: target.provider, model: target.model };
    return { provider: resolution.namedProvider, model: requested };
  }
  return { provider: listingProvider(runtime, flavor), model: undefined };
}

/** An OpenAI-type provider's base URL ends in /v1 (or its equivalent); an Anthropic one is the host. */
function upstreamUrl(provider: RuntimeProvider, path: URL): URL {
  const rest = provider.type === 'anthropic' ? path.pathname : path.pathname.replace(/^\/v1/, '');
  return new URL(`${provider.baseUrl.replace(/\/$/, '')}${rest}${path.search}`);
}

interface Forward {
  call: ProxyCall;
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer | undefined;
  url: URL;
  headers: http.OutgoingHttpHeaders;
  method: string;
  /** What an error body must not carry onward (a provider quoting the key it was sent). */
  secrets: () => readonly string[];
}

/** Error bodies are read whole (up to this) so the keys in them can be cut out; anything longer is cut. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/** Sends the request (its buffered JSON, or the caller's stream) and relays the answer as it comes. */
function forward({ call, req, res, body, url, headers, method, secrets }: Forward): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = (url.protocol === 'https:' ? https : http).request(url, { method, headers }, (response) => {
      const status = response.statusCode ?? 502;
      if (status >= 400) {
        relayError(call, response, res, secrets).then(resolve, resolve);
        return;
      }
      res.writeHead(status, downstreamHeaders(response.headers, call));
      response.on('data', (chunk: Buffer) => {
        call.ttfbMs ??= performance.now() - call.t0;
        call.response.add(chunk);
      });
      response.on('end', () => {
        readUsage(call, String(response.headers['content-type'] ?? ''));
        resolve();
      });
      response.on('error', () => resolve());
      response.pipe(res);
    });
    call.cancellation.onCancel(() => outgoing.destroy());
    outgoing.on('error', (error) => reject(new GatewayError(502, 'provider_unreachable', `The provider could not be reached: ${error.message}`)));
    if (body) outgoing.end(body);
    else req.pipe(outgoing);
  });
}

/** An error answer, read whole and scrubbed of every key Tollgate knows before it goes on. */
async function relayError(call: ProxyCall, response: IncomingMessage, res: ServerResponse, secrets: () => readonly string[]): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (size >= ERROR_BODY_LIMIT) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  const body = scrubSecrets(Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT), secrets());
  const status = response.statusCode ?? 502;
  call.ttfbMs = performance.now() - call.t0;
  call.response.add(body);
  call.errorClass = 'caller_rejected_by_provider';
  call.errorMessage = upstreamErrorMessage(body) || `The provider answered ${status}`;
  const headers = downstreamHeaders(response.headers, call);
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  res.end(body);
}

/** Usage from a JSON answer (legacy completions carry chat's usage block), so the call is priced. */
function readUsage(call: ProxyCall, contentType: string): void {
  const bytes = call.response.bytes();
  if (!bytes || call.response.truncated) return;
  let usage;
  if (contentType.startsWith('application/json')) {
    const answer = parseJson(bytes.toString('utf8'));
    usage = isRecord(answer) ? openaiUsage(answer['usage']) : undefined;
    if (isRecord(answer) && typeof answer['model'] === 'string') call.facts = { ...call.facts, servedModel: answer['model'] };
  } else if (contentType.startsWith('text/event-stream')) {
    // The last event with a usage block (legacy completions send it with the final chunk).
    for (const raw of new SseSplitter().push(bytes).reverse()) {
      const event = parseJson(parseSseEvent(raw).data);
      if (isRecord(event) && isRecord(event['usage'])) {
        usage = openaiUsage(event['usage']);
        break;
      }
    }
  }
  if (usage) {
    call.facts = { ...call.facts, usage };
    call.billed = true;
  }
}
