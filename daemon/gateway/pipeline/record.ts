import type { ServerResponse } from 'node:http';
import { priceUsage, type PriceResult } from '../../pricing/price';
import type { Config } from '../config/schema';
import type { LogRow } from '../store/log-row';
import { estimateUsage } from '../usage/estimate';
import type { Usage } from '../usage/types';
import type { ProxyCall } from './call';
import type { EndpointKind } from '../endpoint-kind';
import { promptTextsOf } from './prompt-texts';
import { wasCutByShutdown } from '../shutdown/cut-calls';

/** The status logged for a call whose client went away before the response was complete. */
const CLIENT_CLOSED = 499;

export function priceCall(call: ProxyCall, usage: Usage, pricing: Config['pricing']): PriceResult {
  if (!call.pricing) return { known: false };
  return priceUsage(usage, {
    pricingProvider: call.pricing.pricingProvider,
    baseUrl: call.pricing.baseUrl,
    model: call.facts.servedModel ?? call.upstreamModel ?? '',
    overrides: pricing,
  });
}

/**
 * Makes sure a call that spent tokens has a usage figure: the provider's usage block, or, when
 * it sent none (some OpenAI-compatible servers, or a stream cut short), tokens counted locally
 * from the request and the response text, flagged as estimated.
 */
export function settleUsage(call: ProxyCall, status: number): Usage | undefined {
  if (call.facts.usage || !call.billed || !call.body || !spentTokens(status, call)) return call.facts.usage;
  const model = call.upstreamModel ?? call.body.model;
  call.facts = { ...call.facts, usage: estimateUsage(call.endpoint as EndpointKind, call.body, call.response.bytes(), model) };
  call.usageEstimated = true;
  return call.facts.usage;
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
    latencyMs: performance.now() - call.t0,
    ttfbMs: call.ttfbMs,
    promptTokens: usage ? usage.inputTokens : null,
    completionTokens: usage ? usage.outputTokens : null,
    cachedTokens: usage ? usage.cacheReadTokens : null,
    cacheWriteTokens: usage ? usage.cacheWriteTokens : null,
    reasoningTokens: usage ? usage.reasoningTokens : null,
    costUsd: costOf(call, price),
    costEstimated: call.usageEstimated,
    cache: call.cache,
    attempts: call.attempts,
    attemptLog: call.attemptLog,
    requestBody,
    responseBody: storeBodies ? call.response.bytes() : undefined,
    requestTruncated: (call.requestBody?.length ?? 0) > maxBody,
    responseTruncated: call.response.truncated,
    promptTexts: call.body && call.billed ? promptTextsOf(call.endpoint as EndpointKind, call.body) : [],
    cacheEntry: call.cacheEntry,
  };
}

/** Unbilled calls (token counting) cost 0; unknown prices stay null so no one reads them as free. */
function costOf(call: ProxyCall, price: PriceResult | undefined): number | null {
  if (!call.billed) return call.provider ? 0 : null;
  return price?.known ? price.costUsd : null;
}

/**
 * A provider bills for a successful call, and for the part of a stream it generated before
 * the stream broke or the client left; it does not bill calls it refused.
 */
function spentTokens(status: number, call: ProxyCall): boolean {
  if (status < 400 && call.errorClass === null) return true;
  return call.ttfbMs !== null && call.stream && (call.errorClass === 'provider_stream_interrupted' || call.errorClass === 'client_disconnected');
}
