import type { CallSiteFigures } from '../../gateway/api/contracts';
import { priceUsage, type PriceOverride } from '../../pricing/price';
import type { Estimate } from '../analyze/estimate';
import type { AnalysedDocument } from '../documents';
import type { LinkedSite } from '../gateway/call-site-figures';
import { linkedSites } from './linked-sites';

/**
 * A call that sets no output cap is estimated with a typical reply until the gateway has seen it
 * answer; from then on with what it measured (the site's average completion tokens today). A
 * cap stays the estimate: it is what the call may cost, whatever it averaged.
 */
export async function withMeasuredOutput(
  analysed: AnalysedDocument,
  lookup: (sites: readonly LinkedSite[]) => Promise<Map<string, CallSiteFigures>>,
  overrides: Readonly<Record<string, PriceOverride>>,
): Promise<Estimate[]> {
  const estimates = analysed.results.estimates;
  const candidates = linkedSites(analysed).filter((site) => estimates[site.index]?.output?.basis === 'typical');
  if (candidates.length === 0) return estimates;
  const figures = await lookup(candidates);
  const updated = [...estimates];
  for (const site of candidates) {
    const average = figures.get(site.id)?.avgOutputTokens;
    const estimate = estimates[site.index];
    if (average === undefined || average === null || !estimate?.output) continue;
    const tokens = Math.round(average);
    const { pricingProvider, model } = estimate.model;
    const price = pricingProvider || overrides[model] ? priceUsage({ inputTokens: 0, outputTokens: tokens }, { pricingProvider: pricingProvider ?? '', model, overrides }) : estimate.output.price;
    updated[site.index] = { ...estimate, output: { tokens, basis: 'measured', reasoningTokens: 0, price } };
  }
  return updated;
}
