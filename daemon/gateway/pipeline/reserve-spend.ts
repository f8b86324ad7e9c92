import { priceUsage } from '../../pricing/price';
import type { OutputHistory } from '../budgets/output-history';
import type { Reservation, SpendTracker } from '../budgets/tracker';
import type { Config } from '../config/schema';
import type { EndpointKind } from '../endpoint-kind';
import type { Target } from '../routing/resolve';
import { estimateUsage } from '../usage/estimate';
import { outputCapOf, type ProxiedBody } from './request-schemas';

/** Output assumed for a call without max_tokens whose model has no history here yet. */
const DEFAULT_OUTPUT_TOKENS = 1000;

export interface ExpectedCall {
  kind: EndpointKind;
  body: ProxiedBody;
  targets: readonly Target[];
  alias: string | undefined;
}

/**
 * Holds a call's expected cost against its budgets while it is in flight: its input tokens
 * counted locally, plus max_tokens (or the model's recent mean output) at the output price, at
 * the dearest of the targets it may be served by. Only when budgets exist: otherwise nothing is
 * counted and this costs nothing.
 */
export function reserveExpectedCost(call: ExpectedCall, deps: { spend: SpendTracker; outputs: OutputHistory; pricing: Config['pricing'] }): Reservation {
  if (!deps.spend.tracking) return deps.spend.reserve(0, call.alias);
  const inputTokens = estimateUsage(call.kind, call.body, undefined, call.targets[0]!.model).inputTokens;
  const cap = outputCapOf(call.body);
  let expected = 0;
  for (const { provider, model } of call.targets) {
    const outputTokens = cap ?? Math.ceil(deps.outputs.meanOf(model) ?? DEFAULT_OUTPUT_TOKENS);
    const price = priceUsage({ inputTokens, outputTokens }, { pricingProvider: provider.pricingId, baseUrl: provider.baseUrl, model, overrides: deps.pricing });
    if (price.known) expected = Math.max(expected, price.costUsd);
  }
  return deps.spend.reserve(expected, call.alias);
}
