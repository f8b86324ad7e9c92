import { checkBudgets } from '../budgets/policy';
import type { SpendTracker } from '../budgets/tracker';
import type { RuntimeConfig } from '../config/runtime';
import { GatewayError } from '../http/errors';
import type { LatencyTracker } from '../resilience/latency';
import { orderTargets } from '../routing/order';
import { resolveModel, type Target } from '../routing/resolve';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';

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
export function routeCall(call: ProxyCall, endpoint: ProxyEndpoint, runtime: RuntimeConfig, spend: SpendTracker, latency: LatencyTracker): Route {
  let resolution = resolveModel(runtime, call.requestedModel!);
  const verdict = checkBudgets(runtime.config, resolution.alias, spend);
  const budgetHeaders: Record<string, string> = {};
  if (verdict.remainingUsd !== undefined) budgetHeaders['x-tollgate-budget-remaining'] = verdict.remainingUsd.toFixed(6);
  if (verdict.warning) budgetHeaders['x-tollgate-budget-warning'] = 'true';
  if (verdict.downgradeTo) {
    budgetHeaders['x-tollgate-budget-downgraded'] = `${call.requestedModel} -> ${verdict.downgradeTo}`;
    resolution = resolveModel(runtime, verdict.downgradeTo);
  }
  const targets = orderTargets(resolution, latency).filter((target) => target.provider.adapter.paths[endpoint.kind] !== undefined);
  if (targets.length === 0) {
    const first = resolution.targets[0]!.provider;
    throw new GatewayError(
      400,
      'caller_unsupported_endpoint',
      `Provider "${first.id}" (type ${first.type}) does not serve ${endpoint.path}. Pick a model served by a provider that speaks this API.`,
      { param: 'model' },
    );
  }
  const largerContext = resolution.largerContext?.provider.adapter.paths[endpoint.kind] ? resolution.largerContext : undefined;
  return { targets, largerContext, alias: resolution.alias, budgetHeaders };
}

/** What the log and the response headers say about where the call went. */
export function describeTarget(call: ProxyCall, target: Target): void {
  call.provider = target.provider.id;
  call.upstreamModel = target.model;
  call.pricing = { pricingProvider: target.provider.pricingId, baseUrl: target.provider.baseUrl };
}
