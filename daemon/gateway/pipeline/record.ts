import type { ServerResponse } from 'node:http';
import { modelPriceInfo, priceUsage, type PriceResult } from '../../pricing/price';
import type { Config } from '../config/schema';
import type { EndpointKind } from '../endpoint-kind';
import type { LogRow } from '../store/log-row';
import { estimateUsage } from '../usage/estimate';
import { isPlausibleUsage } from '../usage/plausible';
import type { Usage } from '../usage/types';
import type { PricingTarget, ProxyCall } from './call';
import { promptTextsOf } from './prompt-texts';
import { outputCapOf } from './request-schemas';
import { wasCutByShutdown } from '../shutdown/cut-calls';
import { cacheWriteOf } from '../cache/store-answer';

/** The status logged for a call whose client went away before the response was complete. */
const CLIENT_CLOSED = 499;

export function priceCall(call: ProxyCall, usage: Usage, pricing: Config['pricing']): PriceResult {
  if (!call.pricing) return { known: false };
  return priceUsage(usage, { ...call.pricing, model: servedModelOf(call), overrides: pricing });
}

/**
 * Makes sure a call that spent tokens has a usage figure it can be billed by: the provider's
 * usage block when it is plausible; else (none sent, as some OpenAI-compatible servers do or a
 * stream cut short; or figures no request could produce) tokens counted locally from the request
 * and the response text, with `usageSource` saying why.
 */
export function settleUsage(call: ProxyCall, status: number): Usage | undefined {
  if (call.usageSource !== null) return call.facts.usage;
  const reported = call.facts.usage;
  if (reported && isPlausibleUsage(reported, boundsOf(call))) {
    call.usageSource = 'provider';
    return reported;
  }
  if (!reported && !(call.billed && spentTokens(status, call))) return undefined;
  const model = call.upstreamModel ?? call.body?.model ?? '';
  const usage = call.body ? estimateUsage(call.endpoint as EndpointKind, call.body, call.response.bytes(), model) : undefined;
  call.facts = { ...call.facts, usage };
  call.usageSource = usage ? (reported ? 'implausible' : 'estimated') : null;
  return usage;
}

/**
 * The tokens a call used (input + output), when they can be believed: settled usage (the
 * provider's plausible figures, or the local count) always; a stream's not yet settled figures
 * only when plausible.
 */
export function believableTokens(call: ProxyCall): number | undefined {
  const usage = call.facts.usage;
  if (!usage || (call.usageSource === null && !isPlausibleUsage(usage, boundsOf(call)))) return undefined;
  return usage.inputTokens + usage.outputTokens;
}

function boundsOf(call: ProxyCall): Parameters<typeof isPlausibleUsage>[1] {
  return {
    outputCap: call.body ? outputCapOf(call.body) : undefined,
    contextWindow: () => (call.pricing ? modelPriceInfo({ ...call.pricing, model: servedModelOf(call) })?.contextWindow : undefined),
  };
}

/** Turns a closed call into its log row. A model with no known price logs cost null, never 0. */
export function buildLogRow(call: ProxyCall, res: ServerResponse, config: Config, storeBodies: boolean): LogRow {
  const finished = res.writableFinished;
  if (!finished && !call.errorClass && wasCutByShutdown(res)) {
    call.errorClass = 'gateway_shutdown';
    call.errorMessage = 'The gateway was stopping and cut the call at its deadline';
    call.loggedStatus = 503;
  }
  if (!finished && !call.errorClass) {
    call.errorClass = 'client_disconnected';
    call.errorMessage = 'The client closed the connection before the response was complete';
  }
  const status = call.loggedStatus ?? (finished || call.errorClass !== 'client_disconnected' ? res.statusCode : CLIENT_CLOSED);
  const usage = settleUsage(call, status);
  const maxBody = config.logging.maxBodyBytes;
  const requestBody = storeBodies && call.requestBody ? call.requestBody.subarray(0, maxBody) : undefined;
  const price = call.price ?? (usage && call.billed ? priceCall(call, usage, config.pricing) : undefined);
  const costUsd = costOf(call, price);
  const latencyMs = performance.now() - call.t0;
  return {
    id: call.id,
    ts: call.startedAt,
    endpoint: call.endpoint,
    requestedModel: call.requestedModel,
    servedModel: call.facts.servedModel ?? call.upstreamModel,
    provider: call.provider,
    keyAlias: call.keyAlias,
    clientTag: call.clientTag,
    status,
    errorClass: call.errorClass,
    errorMessage: call.errorMessage,
    stream: call.stream,
    latencyMs,
    ttfbMs: call.ttfbMs,
    promptTokens: usage ? usage.inputTokens : null,
    completionTokens: usage ? usage.outputTokens : null,
    cachedTokens: usage ? usage.cacheReadTokens : null,
    cacheWriteTokens: usage ? usage.cacheWriteTokens : null,
    reasoningTokens: usage ? usage.reasoningTokens : null,
    costUsd,
    costEstimated: call.usageSource === 'estimated' || call.usageSource === 'implausible',
    cache: call.cache,
    attempts: call.attempts,
    attemptLog: call.attemptLog,
    priceSource: usage && call.billed ? (price?.known ? price.source : 'unknown') : null,
    usageSource: usage ? call.usageSource : null,
    requestBody,
    responseBody: storeBodies ? call.response.bytes() : undefined,
    requestTruncated: (call.requestBody?.length ?? 0) > maxBody,
    responseTruncated: call.response.truncated,
    promptTexts: call.body && call.billed ? promptTextsOf(call.endpoint as EndpointKind, call.body) : [],
    savedUsd: call.savedFrom ? call.savedFrom.costUsd : null,
    savedMs: call.savedFrom ? Math.max(0, call.savedFrom.latencyMs - latencyMs) : null,
    answeredBy: call.answeredBy,
    cacheSimilarity: call.cacheSimilarity,
    routeTier: call.route?.tier ?? null,
    routeReason: call.route?.reason ?? null,
    routeBaselineUsd: call.route?.baseline && usage && call.billed ? baselineCost(call.route.baseline, usage, config.pricing) : null,
    upstreamEndpoint: call.upstreamEndpoint,
    cacheWrite: cacheWriteOf(call, { status, finished, costUsd, latencyMs }, config),
    fingerprint: call.fingerprint === undefined ? undefined : { key: call.fingerprint, windowMs: config.cache.ttlSeconds * 1000 },
  };
}

/** What the call's tokens cost on the routing baseline's model, or null when that has no known price. */
function baselineCost(baseline: PricingTarget, usage: Usage, pricing: Config['pricing']): number | null {
  const price = priceUsage(usage, { ...baseline, overrides: pricing });
  return price.known && Number.isFinite(price.costUsd) ? price.costUsd : null;
}

function servedModelOf(call: ProxyCall): string {
  return call.facts.servedModel ?? call.upstreamModel ?? '';
}

/** Unbilled calls (token counting) cost 0; unknown prices stay null so no one reads them as free. */
function costOf(call: ProxyCall, price: PriceResult | undefined): number | null {
  if (!call.billed) return call.provider ? 0 : null;
  // A cost that is not a finite number is no cost: NaN would fail the whole batch of log rows it is committed with.
  return price?.known && Number.isFinite(price.costUsd) ? price.costUsd : null;
}

/**
 * A provider bills for a successful call, and for the part of a stream it generated before
 * the stream broke or the client left; it does not bill calls it refused.
 */
function spentTokens(status: number, call: ProxyCall): boolean {
  if (status < 400 && call.errorClass === null) return true;
  return call.ttfbMs !== null && call.stream && (call.errorClass === 'provider_stream_interrupted' || call.errorClass === 'client_disconnected');
}
