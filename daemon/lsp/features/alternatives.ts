import { candidateModels, modelUse } from '../../pricing/models';
import { priceUsage, type PriceOverride, type PriceResult } from '../../pricing/price';
import { estimateTotal, type Estimate } from '../analyze/estimate';
import { outputOn } from '../analyze/output';

/**
 * Cheaper models for the same prompt, from the shared price table. Only models that save at
 * least a quarter are offered; among those, the nearest tier down comes first (the one most
 * likely to do the same job), same provider before others. The token count is the same one:
 * another vendor's tokenizer would differ by a few percent, which does not change the ranking.
 * A typical reply is re-estimated per model, so a reasoning model carries its reasoning tokens.
 *
 * Only providers the gateway can call are offered when it has said which those are; without
 * the gateway, every row says it was not checked (see hover.ts).
 */

const MIN_SAVING = 0.25;

export interface Alternative {
  pricingProvider: string;
  model: string;
  input: PriceResult;
  output: PriceResult | undefined;
  outputTokens: number | undefined;
  totalUsd: number;
}

export function priceFor(pricingProvider: string, model: string, estimate: Estimate, overrides: Readonly<Record<string, PriceOverride>>): Omit<Alternative, 'pricingProvider' | 'model'> {
  const query = { pricingProvider, model, overrides };
  const input = priceUsage({ inputTokens: estimate.tokens, outputTokens: 0 }, query);
  const outputTokens = estimate.output && outputOn(estimate.output, model).tokens;
  const output = outputTokens === undefined ? undefined : priceUsage({ inputTokens: 0, outputTokens }, query);
  const totalUsd = (input.known ? input.costUsd : Number.NaN) + (output ? (output.known ? output.costUsd : Number.NaN) : 0);
  return { input, output, outputTokens, totalUsd };
}

export interface AlternativeOptions {
  overrides: Readonly<Record<string, PriceOverride>>;
  /** Price-table providers the gateway can call; undefined when not known (no gateway). */
  configured: ReadonlySet<string> | undefined;
  count?: number;
}

export function cheaperAlternatives(estimate: Estimate, options: AlternativeOptions): Alternative[] {
  const current = estimateTotal(estimate);
  if (current === undefined || current <= 0) return [];
  const provider = estimate.model.pricingProvider;
  const cheaper = candidateModels(modelUse(estimate.model.model), provider)
    .filter((candidate) => candidate.model !== estimate.model.model && (!options.configured || options.configured.has(candidate.pricingProvider)))
    .map((candidate) => ({ ...candidate, ...priceFor(candidate.pricingProvider, candidate.model, estimate, options.overrides) }))
    .filter((alternative) => Number.isFinite(alternative.totalUsd) && alternative.totalUsd <= current * (1 - MIN_SAVING));
  const byNearest = (a: Alternative, b: Alternative): number => b.totalUsd - a.totalUsd;
  const same = cheaper.filter((alternative) => alternative.pricingProvider === provider).sort(byNearest);
  const others = cheaper.filter((alternative) => alternative.pricingProvider !== provider).sort(byNearest);
  return [...same, ...others].slice(0, options.count ?? 2);
}
