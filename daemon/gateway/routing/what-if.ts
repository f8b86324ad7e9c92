import { priceUsage } from '../../pricing/price';
import { isRecord, parseJson } from '../../shared/json';
import type { WhatIfResponse } from '../api/contracts';
import type { RuntimeConfig } from '../config/runtime';
import type { EndpointKind } from '../endpoint-kind';
import type { ReplayableCall } from '../store/whatif-queries';
import { decideRoute, destinationOf } from './auto-route';
import { estimateComplexity, type Tier } from './complexity';
import { resolveDestination } from './resolve';

type Totals = WhatIfResponse['totals'];

const emptyTotals = (): Totals => ({ calls: 0, moved: 0, byTier: { simple: 0, medium: 0, complex: 0, reasoning: 0 }, costUsd: 0, routedCostUsd: 0, differenceUsd: 0, unpriced: 0 });

/**
 * What the window's calls would have cost had they been sent as model "auto" under the current
 * routing config: each call's request (or, when its body was not kept, its logged token count
 * alone) goes through the same rules and estimator a live call does (budget rules are left out:
 * the budget then is not the budget now), and its logged tokens are priced at the target its tier
 * names. Nothing is sent anywhere.
 */
export function routingWhatIf(calls: Iterable<ReplayableCall>, runtime: RuntimeConfig, window: { since: number; until: number }): WhatIfResponse {
  const config = runtime.config;
  const totals = emptyTotals();
  const byModel = new Map<string, Totals>();
  let withoutBody = 0;
  // A call without its body is routed by its token count alone: one estimate per count.
  const byLength = new Map<number, Tier>();
  for (const call of calls) {
    const body = call.requestBody ? parseJson(call.requestBody.toString('utf8')) : undefined;
    let tier: Tier;
    let destination: string | string[];
    if (isRecord(body)) {
      const decision = decideRoute({ 'x-tollgate-tag': call.tag }, { kind: call.endpoint as EndpointKind, body, model: 'auto' }, config, () => undefined);
      tier = decision.tier;
      destination = decision.destination;
    } else {
      withoutBody++;
      // Only the length is known: the estimator sees a prompt of that many tokens.
      tier = byLength.get(call.promptTokens) ?? estimateComplexity('chat', { messages: [{ role: 'user', content: 'x'.repeat(call.promptTokens * 4) }] }, config.routing.thresholds).tier;
      byLength.set(call.promptTokens, tier);
      destination = destinationOf(config.routing.tiers, tier);
    }
    const target = resolveDestination(runtime, destination).targets[0]!;
    const routed = priceUsage(
      { inputTokens: call.promptTokens, outputTokens: call.completionTokens, cacheReadTokens: call.cachedTokens, cacheWriteTokens: call.cacheWriteTokens },
      { pricingProvider: target.provider.pricingId, baseUrl: target.provider.baseUrl, model: target.model, overrides: config.pricing },
    );
    const moved = target.model !== call.servedModel || target.provider.id !== call.provider;
    const model = `${call.provider}/${call.servedModel}`;
    let entry = byModel.get(model);
    if (!entry) byModel.set(model, (entry = emptyTotals()));
    for (const sum of [totals, entry]) {
      sum.calls++;
      if (moved) sum.moved++;
      sum.byTier[tier]++;
      if (call.costUsd === null || !routed.known) {
        sum.unpriced++;
        continue;
      }
      sum.costUsd += call.costUsd;
      sum.routedCostUsd += routed.costUsd;
      sum.differenceUsd = sum.routedCostUsd - sum.costUsd;
    }
  }
  return {
    since: window.since,
    until: window.until,
    withoutBody,
    totals,
    byModel: [...byModel.entries()].map(([model, sums]) => ({ model, ...sums })).sort((a, b) => a.differenceUsd - b.differenceUsd),
  };
}
