import { checkBudgets } from '../budgets/policy';
import type { SpendTracker } from '../budgets/tracker';
import type { RuntimeConfig, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';
import type { LatencyTracker } from '../resilience/latency';
import { orderTargets } from '../routing/order';
import { resolveDestination, resolveModel, type Resolution, type Target } from '../routing/resolve';
import { decideRoute, destinationOf, isAutoRouted, tiersFor } from '../routing/auto-route';
import type { TierDestinations } from '../config/sections/routing';
import { budgetStatuses } from '../budgets/policy';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProxiedBody } from './request-schemas';
import type { PricingTarget } from './call';
import type { ProxyCall } from './call';
import type { Credential } from './credentials';
import type { ProxyEndpoint } from './endpoints';
import { translationFor } from '../translate/translation';
import { countsLocally } from '../translate/count-tokens';

export interface Route {
  targets: Target[];
  largerContext: Target | undefined;
  alias: string | undefined;
  /** Headers that tell the caller about its budget (remaining, downgraded). */
  budgetHeaders: Record<string, string>;
}

/**
 * Model name → the targets to try, in order: resolve the name, apply budgets (which may refuse
 * the call or swap in a cheaper model), order by the alias's strategy, and keep only targets
 * whose provider serves this endpoint.
 */
export function routeCall(
  call: ProxyCall,
  request: { headers: IncomingHttpHeaders; body: ProxiedBody },
  endpoint: ProxyEndpoint,
  runtime: RuntimeConfig,
  credential: Credential,
  deps: { spend: SpendTracker; latency: LatencyTracker },
): Route {
  const { spend, latency } = deps;
  const config = runtime.config;
  const requested = call.requestedModel!;
  let resolution: Resolution;
  let budgetAlias: string | undefined;
  if (isAutoRouted(config, requested)) {
    // Routed by complexity: the tier's destination is resolved like any model name; the budget is
    // the "auto" alias's own when it has one. A caller's own key stays with the default provider
    // (where a bare name goes), whatever tier is chosen.
    const decision = decideRoute(request.headers, { kind: endpoint.kind, body: request.body, model: requested }, config, () => dailyBudgetUse(config, spend));
    resolution = { ...resolveDestination(runtime, decision.destination), namedProvider: runtime.defaultProvider };
    call.route = { ...decision, baseline: baselineOf(runtime, tiersFor(config, requested)) };
    budgetAlias = Object.hasOwn(config.models, requested) ? requested : resolution.alias;
  } else {
    resolution = resolveModel(runtime, requested);
    budgetAlias = resolution.alias;
  }
  // A caller's own key is for the provider the name it sent points at; a budget downgrade to
  // another model must not carry the key to another provider.
  const keyProvider = resolution.namedProvider;
  const verdict = checkBudgets(runtime.config, budgetAlias, spend);
  const budgetHeaders: Record<string, string> = {};
  if (verdict.remainingUsd !== undefined) budgetHeaders['x-tollgate-budget-remaining'] = verdict.remainingUsd.toFixed(6);
  if (verdict.warning) budgetHeaders['x-tollgate-budget-warning'] = 'true';
  if (verdict.downgradeTo) {
    budgetHeaders['x-tollgate-budget-downgraded'] = `${call.requestedModel} -> ${verdict.downgradeTo}`;
    resolution = resolveModel(runtime, verdict.downgradeTo);
  }
  // A provider that does not speak the caller's API may still serve it through a translation.
  const usable = (target: Target): boolean =>
    (translationFor(endpoint.kind, target.provider.adapter) !== null || countsLocally(endpoint.kind, target.provider.adapter)) &&
    (credential.kind !== 'own' || target.provider === keyProvider);
  const targets = orderTargets(resolution, latency).filter(usable);
  if (targets.length === 0 && credential.kind === 'own') throw ownKeyHasNoTarget(call.requestedModel!, keyProvider, resolution);
  if (targets.length === 0) {
    const first = resolution.targets[0]!.provider;
    throw new GatewayError(
      400,
      'caller_unsupported_endpoint',
      `Provider "${first.id}" (type ${first.type}) does not serve ${endpoint.path}, and no translation reaches it from this API. Pick a model served by a provider that speaks this API.`,
      { param: 'model' },
    );
  }
  const largerContext = resolution.largerContext && usable(resolution.largerContext) ? resolution.largerContext : undefined;
  return { targets, largerContext, alias: resolution.alias, budgetHeaders };
}

/**
 * A caller's own key is for one provider: sending it to another would hand the caller's secret
 * to a third party. When an alias has no target on that provider, the caller must choose.
 */
function ownKeyHasNoTarget(requested: string, keyProvider: RuntimeProvider, resolution: Resolution): GatewayError {
  const provider = keyProvider.id;
  const targets = resolution.targets.map((t) => `${t.provider.id}/${t.model}`).join(', ');
  return new GatewayError(
    400,
    'caller_key_mismatch',
    `Your own API key is taken to be for provider "${provider}" (where "${requested}" points), and none of its targets (${targets}) is on "${provider}". ` +
      'Use the Tollgate token to call with the keys Tollgate holds, or name a model of that provider.',
    { param: 'model' },
  );
}

/**
 * What routing is measured against: the `complex` tier's first target, where every auto-routed
 * call would go without routing. Undefined when that tier cannot be resolved.
 */
function baselineOf(runtime: RuntimeConfig, tiers: TierDestinations): PricingTarget | undefined {
  try {
    const target = resolveDestination(runtime, destinationOf(tiers, 'complex')).targets[0];
    return target && { pricingProvider: target.provider.pricingId, baseUrl: target.provider.baseUrl, model: target.model };
  } catch {
    return undefined;
  }
}

/** The share of the global daily budget spent or held (for rules with dailyBudgetUsedAbove); undefined without one. */
function dailyBudgetUse(config: RuntimeConfig['config'], spend: SpendTracker): number | undefined {
  const daily = budgetStatuses(config, spend).find((status) => status.scope === 'global' && status.period === 'day');
  return daily && daily.limitUsd > 0 ? (daily.spentUsd + daily.reservedUsd) / daily.limitUsd : undefined;
}

/** What the log and the response headers say about where the call went. */
export function describeTarget(call: ProxyCall, target: Target): void {
  call.provider = target.provider.id;
  call.upstreamModel = target.model;
  call.pricing = { pricingProvider: target.provider.pricingId, baseUrl: target.provider.baseUrl };
}
