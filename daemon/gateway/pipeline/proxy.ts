import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutputHistory } from '../budgets/output-history';
import type { Reservation, SpendTracker } from '../budgets/tracker';
import type { ConfigManager } from '../config/manager';
import { asGatewayError, GatewayError, sendError } from '../http/errors';
import { reportUnexpected } from '../http/last-resort';
import { dispatch, type AttemptRecord } from '../resilience/dispatch';
import type { KeyPools } from '../resilience/key-pool';
import type { LatencyTracker } from '../resilience/latency';
import type { CacheStore } from '../store/cache-store';
import type { LogSink } from '../store/log-row';
import { answerFromCache, cacheDecision, cacheKeyFor } from './cache';
import { startCall, type ProxyCall } from './call';
import { credentialOf } from './credentials';
import type { ProxyEndpoint } from './endpoints';
import { tollgateHeaders } from './headers';
import { receive } from './receive';
import { believableTokens } from './record';
import { logRowSafely } from './record-safely';
import { relayJson } from './relay-json';
import { relayLargeJson } from './relay-large-json';
import { relayStream } from './relay-stream';
import { reserveExpectedCost } from './reserve-spend';
import { describeTarget, routeCall } from './route';
import { upstreamPlan } from './upstream-plan';

export interface PipelineDeps {
  config: ConfigManager;
  log: LogSink;
  cache: CacheStore;
  pools: KeyPools;
  latency: LatencyTracker;
  spend: SpendTracker;
  outputs: OutputHistory;
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
    const route = routeCall(call, endpoint, runtime, credential, deps);
    call.extraHeaders = route.budgetHeaders;
    describeTarget(call, route.targets[0]!);
    const caching = cacheDecision(req, call, config);
    call.cache = caching === 'lookup' ? 'miss' : caching;
    if (caching === 'lookup') {
      call.cacheKey = cacheKeyFor(call, call.requestBody!);
      if (answerFromCache(deps.cache, call.cacheKey, call, res)) return;
    }
    if (endpoint.billed) reservation = reserveExpectedCost({ kind: endpoint.kind, body, targets: route.targets, alias: route.alias }, { ...deps, pricing: config.pricing });
    const plan = upstreamPlan({ req, call, endpoint, body, route, runtime, credential, token: deps.token });
    const outcome = await dispatch(plan, deps);
    noteAttempts(call, outcome.attempts);
    if (outcome.kind === 'refused') throw outcome.error;
    describeTarget(call, outcome.target);
    call.keyAlias = outcome.lease.key.alias;
    try {
      const { idleMs } = config.resilience.timeouts;
      if (outcome.result.kind === 'stream') await relayStream(call, outcome.result, res, endpoint, plan.hideUsageChunk, idleMs);
      else if (outcome.result.kind === 'large') await relayLargeJson(call, outcome.result, res, endpoint, idleMs);
      else {
        relayJson(call, { result: outcome.result, failure: outcome.failure }, res, endpoint, config);
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
