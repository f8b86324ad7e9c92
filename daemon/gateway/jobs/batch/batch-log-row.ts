import { priceUsage } from '../../../pricing/price';
import type { Config } from '../../config/schema';
import type { RuntimeProvider } from '../../config/runtime';
import type { EndpointKind } from '../../endpoint-kind';
import { newRequestId } from '../../pipeline/call';
import { PROXY_ENDPOINTS } from '../../pipeline/endpoints';
import type { LogRow } from '../../store/log-row';

export interface BatchAnswer {
  jobId: string;
  endpointPath: string;
  requestedModel: string | null;
  upstreamModel: string;
  provider: RuntimeProvider;
  keyAlias: string;
  tag: string | null;
  status: number;
  body: unknown;
  requestBody: string;
  providerBatchId: string;
  /** Fraction of the realtime price the provider takes off batch calls. */
  discount: number;
  submittedAt: number;
}

/**
 * The log row of one job answered in a provider batch: priced at the batch rate (the realtime
 * price less the provider's batch discount), with the batch and the amount saved in its attempt
 * log, so the request log keeps every call once whichever way it was made.
 */
export function batchLogRow(answer: BatchAnswer, config: Config, now = Date.now()): { row: LogRow; savedUsd: number | null } {
  const endpoint = PROXY_ENDPOINTS.find((e) => e.path === answer.endpointPath)!;
  const facts = answer.status < 400 ? endpoint.usage.fromJson(answer.body) : {};
  const usage = facts.usage;
  const served = facts.servedModel ?? answer.upstreamModel;
  const price = usage ? priceUsage(usage, { pricingProvider: answer.provider.pricingId, baseUrl: answer.provider.baseUrl, model: served, overrides: config.pricing }) : undefined;
  const realtime = price?.known && Number.isFinite(price.costUsd) ? price.costUsd : null;
  const cost = realtime === null ? null : realtime * (1 - answer.discount);
  const saved = realtime === null || cost === null ? '' : `, saved $${(realtime - cost).toFixed(6)}`;
  const storeBodies = config.logging.bodies;
  const savedUsd = realtime === null || cost === null ? null : realtime - cost;
  const row: LogRow = {
    id: newRequestId(now),
    ts: answer.submittedAt,
    endpoint: endpoint.kind,
    requestedModel: answer.requestedModel,
    servedModel: served,
    provider: answer.provider.id,
    keyAlias: answer.keyAlias,
    clientTag: answer.tag,
    status: answer.status,
    errorClass: answer.status < 400 ? null : 'caller_rejected_by_provider',
    errorMessage: answer.status < 400 ? null : `The provider answered ${answer.status} in batch ${answer.providerBatchId}`,
    stream: false,
    latencyMs: now - answer.submittedAt,
    ttfbMs: null,
    promptTokens: usage?.inputTokens ?? null,
    completionTokens: usage?.outputTokens ?? null,
    cachedTokens: usage?.cacheReadTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    reasoningTokens: usage?.reasoningTokens ?? null,
    costUsd: cost,
    costEstimated: false,
    cache: 'off',
    attempts: 1,
    attemptLog: `job ${answer.jobId} in batch ${answer.providerBatchId} (${Math.round(answer.discount * 100)} % batch discount${saved})`,
    priceSource: usage ? (price?.known ? price.source : 'unknown') : null,
    usageSource: usage ? 'provider' : null,
    requestBody: storeBodies ? Buffer.from(answer.requestBody) : undefined,
    responseBody: storeBodies ? Buffer.from(JSON.stringify(answer.body)) : undefined,
    requestTruncated: false,
    responseTruncated: false,
    promptTexts: [],
    savedUsd: null,
    savedMs: null,
    answeredBy: null,
    cacheSimilarity: null,
    routeTier: null,
    routeReason: null,
    routeBaselineUsd: null,
    upstreamEndpoint: endpoint.kind satisfies EndpointKind,
    cacheWrite: undefined,
  };
  return { row, savedUsd };
}
