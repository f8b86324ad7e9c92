import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutputHistory } from '../budgets/output-history';
import type { Reservation, SpendTracker } from '../budgets/tracker';
import type { ConfigManager } from '../config/manager';
import { asGatewayError, GatewayError, sendError } from '../http/errors';
import { reportUnexpected } from '../http/last-resort';
import { dispatch, type AttemptRecord } from '../resilience/dispatch';
import type { KeyPools } from '../resilience/key-pool';
import type { LatencyTracker } from '../resilience/latency';
import type { LogSink } from '../store/log-row';
import { cacheKeyFor } from '../cache/cache-key';
import { cachePolicy, keptWhenOn } from '../cache/cache-policy';
import { followFlight } from '../cache/follow';
import type { Flights } from '../cache/flights';
import { replayEntry } from '../cache/replay';
import type { ResponseCache } from '../cache/response-cache';
import type { Embedders } from '../cache/semantic/embedders';
import type { SemanticCache } from '../cache/semantic/semantic-cache';
import { semanticQuery, type SemanticQuery } from '../cache/semantic/scope';
import { BodyCapture, startCall, type ProxyCall } from './call';
import { credentialOf } from './credentials';
import { answerDryRun, isDryRun } from './dry-run';
import { usageReaderOf, type ProxyEndpoint } from './endpoints';
import { translationFor } from '../translate/translation';
import { answerTokenCount, countsLocally } from '../translate/count-tokens';
import { BUFFER_LIMIT } from '../resilience/attempt';
import { tollgateHeaders } from './headers';
import { receive } from './receive';
import type { ProxiedBody } from './request-schemas';
import { believableTokens } from './record';
import { logRowSafely } from './record-safely';
import { relayJson } from './relay-json';
import { relayLargeJson } from './relay-large-json';
import { relayStream } from './relay-stream';
import { reserveExpectedCost } from './reserve-spend';
import { describeTarget, routeCall } from './route';
import { upstreamPlan } from './upstream-plan';
import type { EmbeddingBatcher } from '../batching/embedding-batcher';

export interface PipelineDeps {
  config: ConfigManager;
  log: LogSink;
  cache: ResponseCache;
  flights: Flights;
  semantic: SemanticCache;
  embedders: Embedders;
  pools: KeyPools;
  latency: LatencyTracker;
  spend: SpendTracker;
  outputs: OutputHistory;
  embeddingBatcher: EmbeddingBatcher;
  /** The daemon token: a caller presenting it is served with the keys the gateway holds. */
  token: string;
}

/**
 * One proxied call, start to finish:
 * receive → validate → route (resolve, budgets, strategy) → cache → dispatch (keys, retries,
 * fallback) → relay → record. Whatever happens, the call is logged exactly once, when its
 * response closes.
 */
export async function handleProxy(req: IncomingMessage, res: ServerResponse, endpoint: ProxyEndpoint, deps: PipelineDeps): Promise<void> {
  const runtime = deps.config.current();
  const config = runtime.config;
  const call = startCall(endpoint.kind, clientTagOf(req), config.logging.maxBodyBytes);
  // The call's expected cost is held against its budgets from admission until its real cost is
  // known: for a JSON answer, before its bytes reach the client, so the caller's very next call
  // is checked against it; else when the response closes.
  let reservation: Reservation | undefined;
  const settleSpend = (costUsd: number | null): void => {
    reservation?.settle(costUsd ?? 0);
    reservation = undefined;
  };
  res.once('close', () => {
    if (!res.writableFinished) call.cancellation.cancel();
    const row = logRowSafely(call, res, config, config.logging.bodies);
    if (row) deps.log.write(row);
    try {
      // Remembered before the flight ends: an identical call arriving next finds it either way.
      if (row?.cacheWrite) deps.cache.remember(row.cacheWrite.entry);
      if (row?.cacheWrite?.semantic) deps.semantic.remember(row.cacheWrite.semantic);
    } catch (error) {
      reportUnexpected(call.id, 'remembering its answer', error);
    }
    // Whatever happened above, the calls waiting on this one are told: none may wait forever.
    call.flight?.finish(row?.cacheWrite?.entry);
    try {
      settleSpend(row ? row.costUsd : null);
      if (row && deps.spend.tracking && row.completionTokens !== null && row.servedModel && row.usageSource === 'provider') deps.outputs.observe(row.servedModel, row.completionTokens);
    } catch (error) {
      // A throw in a 'close' listener would end the daemon; the call is logged, only the budget view misses it.
      reportUnexpected(call.id, 'settling its spend', error);
    }
  });
  try {
    const body = await receive(req, call, endpoint, config.server.maxRequestBytes);
    const credential = credentialOf(req, deps.token);
    const route = routeCall(call, { headers: req.headers, body }, endpoint, runtime, credential, deps);
    call.extraHeaders = route.budgetHeaders;
    const first = route.targets[0]!;
    describeTarget(call, first);
    if (isDryRun(req.headers)) return answerDryRun(res, call);
    if (countsLocally(endpoint.kind, first.provider.adapter)) return answerTokenCount(res, call, body, first.model);
    const cached = call.billed && answerWithoutProvider(req, res, call, endpoint, body, deps);
    if (cached === true || (cached !== false && (await cached))) return;
    if (endpoint.billed) reservation = reserveExpectedCost({ kind: endpoint.kind, body, targets: route.targets, alias: route.alias }, { ...deps, pricing: config.pricing });
    const plan = upstreamPlan({ req, call, endpoint, body, route, runtime, credential, token: deps.token });
    const batching = endpoint.kind === 'embeddings' ? config.batching.embeddings : undefined;
    if (batching) plan.attempt = (request) => deps.embeddingBatcher.attempt(request, batching);
    const outcome = await dispatch(plan, deps);
    noteAttempts(call, outcome.attempts);
    if (outcome.kind === 'refused') throw outcome.error;
    describeTarget(call, outcome.target);
    call.keyAlias = outcome.lease.key.alias;
    // The provider may speak another API than the caller: its answer is then rewritten.
    const translation = translationFor(endpoint.kind, outcome.target.provider.adapter) ?? undefined;
    call.upstreamEndpoint = translation ? translation.wire : endpoint.kind;
    try {
      const { idleMs } = config.resilience.timeouts;
      const { result } = outcome;
      if (result.kind === 'stream') {
        const usage = translation ? usageReaderOf(translation.wire) : endpoint.usage;
        await relayStream(call, result, res, endpoint, { hideUsageChunk: plan.hideUsageChunk, idleMs, usage, translator: translation?.stream() });
      } else if (result.kind === 'large' && translation) {
        result.open.response.destroy();
        throw new GatewayError(502, 'provider_malformed_response', `The provider's answer is over ${BUFFER_LIMIT} bytes, too large to translate to ${endpoint.path}`);
      } else if (result.kind === 'large') await relayLargeJson(call, result, res, endpoint, idleMs);
      else {
        relayJson(call, { result, failure: outcome.failure, translation }, res, endpoint, config);
        if (call.price?.known) settleSpend(call.price.costUsd);
      }
    } finally {
      // The key's tokens-per-minute bucket counts what the call really used, output included
      // (never a provider's impossible figure: 1e308 tokens would rest the key for good).
      outcome.lease.release(believableTokens(call));
    }
  } catch (error) {
    respondWithError(res, endpoint, call, error);
  }
}

/**
 * The cache's part of a call: a stored answer, the answer of an identical call in flight, a
 * stored answer to a near-duplicate question (semantic cache), or (`x-tollgate-cache: only`) a
 * 504 instead of a provider call. Returns true when the call was answered; otherwise the call goes
 * to the provider, leading identical calls that arrive meanwhile when coalescing is on, and its
 * answer is stored when the policy allows. Synchronous unless the call waits on another or on an
 * embedding (no promise on the hot path).
 */
function answerWithoutProvider(req: IncomingMessage, res: ServerResponse, call: ProxyCall, endpoint: ProxyEndpoint, body: ProxiedBody, deps: PipelineDeps): boolean | Promise<boolean> {
  const config = deps.config.current().config;
  const policy = cachePolicy(req.headers, endpoint.kind, body, config);
  call.cache = policy.state;
  if (policy.state === 'miss') {
    call.cacheKey = cacheKeyFor({ endpoint: endpoint.kind, provider: call.provider ?? '', upstreamModel: call.upstreamModel ?? '', body });
    if (call.stream) call.cacheCapture = new BodyCapture(config.cache.maxEntryBytes);
  } else if (policy.state === 'off' && keptWhenOn(req.headers, endpoint.kind, body, config)) {
    call.fingerprint = cacheKeyFor({ endpoint: endpoint.kind, provider: call.provider ?? '', upstreamModel: call.upstreamModel ?? '', body });
  }
  const look = (semanticTried: boolean): boolean | Promise<boolean> => {
    const key = call.cacheKey;
    if (key && policy.read) {
      const entry = deps.cache.lookup(key, policy.maxAgeMs);
      if (entry && replayEntry(entry, call, res, 'hit')) return true;
      const flight = config.cache.coalesce ? deps.flights.find(key) : undefined;
      // The call it waited on failed before this one got anything: look again, then lead or follow anew.
      if (flight) return followFlight(flight, call, res, endpoint.flavor).then((outcome) => outcome === 'answered' || look(semanticTried));
      const query = !semanticTried && config.cache.semantic.enabled ? semanticQuery(endpoint.kind, call.provider ?? '', call.upstreamModel ?? '', body) : undefined;
      // After the embedding, the exact cache and the calls in flight are looked at again: an identical call may have come meanwhile.
      if (query) return answerSemantically(query, res, call, policy.maxAgeMs, deps).then((answered) => answered || look(true));
    }
    if (policy.only) throw new GatewayError(504, 'gateway_cache_miss', 'x-tollgate-cache: only, and the cache holds no answer for this request');
    if (key && config.cache.coalesce && policy.read) call.flight = deps.flights.lead(key, call.id);
    return false;
  };
  return look(false);
}

/**
 * A near-duplicate's stored answer, if the semantic cache has one; the call keeps its question's
 * vector either way, so its own answer can be stored with it. An embedder that fails is a miss.
 */
async function answerSemantically(query: SemanticQuery, res: ServerResponse, call: ProxyCall, maxAgeMs: number | undefined, deps: PipelineDeps): Promise<boolean> {
  const settings = deps.config.current().config.cache.semantic;
  const embedder = deps.embedders.named(settings.embedder);
  try {
    const { vector, hit } = await deps.semantic.lookup(query, embedder, settings.threshold, maxAgeMs);
    call.semantic = { entryKey: '', scope: query.scope, embedder: embedder.name, query: query.text, vector };
    return hit !== undefined && !res.destroyed && replayEntry(hit.entry, call, res, 'semantic-hit', hit.similarity);
  } catch (error) {
    deps.embedders.failed(embedder.name, error);
    return false;
  }
}

/** Attempts appear in the header, the log row (compact) and so the live feed. */
function noteAttempts(call: ProxyCall, attempts: readonly AttemptRecord[]): void {
  call.attempts = attempts.length;
  if (attempts.length > 1 || (attempts[0] && !/^[23]\d\d$/.test(attempts[0].outcome))) {
    call.attemptLog = attempts.map((a) => `${a.target}[${a.key}] ${a.outcome} ${Math.round(a.ms)}ms`).join(' > ');
  }
  const last = attempts.at(-1);
  if (last) call.keyAlias = last.key;
}

/**
 * Answers with the error in the caller's shape; the call's log row keeps the first error it met.
 * Every failure of a proxied call ends here, so this is also where a bug (anything that is not
 * a GatewayError) is reported with the call's id, and answered 500 instead of ending the daemon.
 */
export function respondWithError(res: ServerResponse, endpoint: Pick<ProxyEndpoint, 'flavor'>, call: ProxyCall, error: unknown): void {
  if (!(error instanceof GatewayError)) reportUnexpected(call.id, call.endpoint, error);
  const gatewayError = asGatewayError(error);
  call.errorClass ??= gatewayError.errorClass;
  call.errorMessage ??= gatewayError.message;
  sendError(res, endpoint.flavor, gatewayError, tollgateHeaders(call));
}

/** Which tool or part of an app made the call: an explicit tag, else the user agent. */
export function clientTagOf(req: IncomingMessage): string | null {
  const tag = req.headers['x-tollgate-tag'];
  if (typeof tag === 'string' && tag !== '') return tag.slice(0, 200);
  return req.headers['user-agent']?.slice(0, 200) ?? null;
}
