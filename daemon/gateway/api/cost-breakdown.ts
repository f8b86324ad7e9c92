import { modelPriceInfo } from '../../pricing/price';
import type { RequestDetail, RequestLogEntry } from './contracts';
import type { RuntimeConfig } from '../config/runtime';

/**
 * Splits a logged call's tokens by the rates the price table (with the config's overrides) has for
 * its model now: what its uncached input, cached input and output come to. The logged cost stays
 * the record; this says where it came from. Cached input without a rate of its own is priced as
 * input, as the providers without prompt caching bill it.
 */
export function costBreakdown(entry: RequestLogEntry, runtime: RuntimeConfig): RequestDetail['costBreakdown'] {
  const provider = entry.provider ? runtime.providers.get(entry.provider) : undefined;
  const model = entry.servedModel ?? entry.requestedModel;
  if (!provider || !model || entry.promptTokens === null) return null;
  const rates = modelPriceInfo({ pricingProvider: provider.pricingId, baseUrl: provider.baseUrl, model, overrides: runtime.config.pricing });
  if (rates?.input === undefined || rates.output === undefined) return null;
  const cached = entry.cachedTokens ?? 0;
  const perToken = (perMillion: number): number => perMillion / 1e6;
  return {
    inputUsd: Math.max(0, entry.promptTokens - cached) * perToken(rates.input),
    cachedInputUsd: cached * perToken(rates.cacheRead ?? rates.input),
    outputUsd: (entry.completionTokens ?? 0) * perToken(rates.output),
  };
}
