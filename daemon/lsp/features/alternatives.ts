import { candidateModels, modelUse } from '../../pricing/models';
import { priceUsage, type PriceOverride, type PriceResult } from '../../pricing/price';
import type { Estimate } from '../analyze/estimate';

/**
 * Cheaper models for the same prompt, from the shared price table. Only models that save at
 * least a quarter are offered; among those, the nearest tier down comes first (the one most
 * likely to do the same job), same provider before others. The token count is the same one:
 * another vendor's tokenizer would differ by a few percent, which does not change the ranking.
 */

const MIN_SAVING = 0.25;

export interface Alternative {
  pricingProvider: string;
  model: string;
  input: PriceResult;
  output: PriceResult | undefined;
  totalUsd: number;
}

export function priceFor(pricingProvider: string, model: string, estimate: Estimate, overrides: Readonly<Record<string, PriceOverride>>): Omit<Alternative, 'pricingProvider' | 'model'> {
  const query = { pricingProvider, model, overrides };
  const input = priceUsage({ inputTokens: estimate.tokens, outputTokens: 0 }, query);
  const output = estimate.output ? priceUsage({ inputTokens: 0, outputTokens: estimate.output.tokens }, query) : undefined;
  const totalUsd = (input.known ? input.costUsd : Number.NaN) + (output ? (output.known ? output.costUsd : Number.NaN) : 0);
  return { input, output, totalUsd };
}

export function cheaperAlternatives(estimate: Estimate, overrides: Readonly<Record<string, PriceOverride>>, count = 2): Alternative[] {
  const current = estimateTotal(estimate);
  if (current === undefined || current <= 0) return [];
  const provider = estimate.model.pricingProvider;
  const cheaper = candidateModels(modelUse(estimate.model.model), provider)
    .filter((candidate) => candidate.model !== estimate.model.model)
    .map((candidate) => ({ ...candidate, ...priceFor(candidate.pricingProvider, candidate.model, estimate, overrides) }))
    .filter((alternative) => Number.isFinite(alternative.totalUsd) && alternative.totalUsd <= current * (1 - MIN_SAVING));
  const byNearest = (a: Alternative, b: Alternative): number => b.totalUsd - a.totalUsd;
  const same = cheaper.filter((alternative) => alternative.pricingProvider === provider).sort(byNearest);
  const others = cheaper.filter((alternative) => alternative.pricingProvider !== provider).sort(byNearest);
  return [...same, ...others].slice(0, count);
}

/** Input plus worst-case output in USD, or undefined when a price is unknown. */
export function estimateTotal(estimate: Estimate): number | undefined {
  if (!estimate.input.known) return undefined;
  if (!estimate.output) return estimate.input.costUsd;
  return estimate.output.price.known ? estimate.input.costUsd + estimate.output.price.costUsd : undefined;
}
