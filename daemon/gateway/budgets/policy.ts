import type { Budget, Config } from '../config/schema';
import { GatewayError } from '../http/errors';
import type { Period, SpendTracker } from './tracker';

export interface BudgetVerdict {
  /** The tightest remaining amount among the limits that apply, for x-tollgate-budget-remaining. */
  remainingUsd: number | undefined;
  /** Model or alias to serve the call with instead (onLimit: downgrade). */
  downgradeTo: string | undefined;
  /** A limit crossed its warnAt threshold. */
  warning: boolean;
}

export interface BudgetStatus {
  scope: string;
  period: Period;
  limitUsd: number;
  spentUsd: number;
  /** Held by calls in flight (their expected cost), counted as spent until they complete. */
  reservedUsd: number;
  remainingUsd: number;
  warning: boolean;
  exceeded: boolean;
  warnAt: number;
  onLimit: 'block' | 'downgrade';
  downgradeTo: string | null;
}

/**
 * Checks the global budget and the alias's own. A limit that is reached either refuses the call
 * with a clear error (402, which SDKs do not retry, unlike 429) or names a cheaper model or
 * alias to serve it with.
 */
export function checkBudgets(config: Config, alias: string | undefined, tracker: SpendTracker): BudgetVerdict {
  const verdict: BudgetVerdict = { remainingUsd: undefined, downgradeTo: undefined, warning: false };
  // The tracker tracks exactly when some budget exists: without one there is nothing to check.
  if (!tracker.tracking) return verdict;
  for (const status of budgetStatuses(config, tracker, alias)) {
    // Without an alias, budgetStatuses lists every alias's budget (the stats want them all); a
    // call outside any alias answers to the global budget only.
    if (status.scope !== 'global' && status.scope !== alias) continue;
    verdict.remainingUsd = Math.min(verdict.remainingUsd ?? Number.POSITIVE_INFINITY, status.remainingUsd);
    verdict.warning ||= status.warning;
    if (!status.exceeded) continue;
    const budget = status.scope === 'global' ? config.budgets! : config.models[alias!]!.budget!;
    if (budget.onLimit === 'downgrade' && budget.downgradeTo && budget.downgradeTo !== alias) {
      verdict.downgradeTo ??= budget.downgradeTo;
      continue;
    }
    throw new GatewayError(
      402,
      'caller_budget_exceeded',
      `The ${status.period === 'day' ? 'daily' : 'monthly'} budget ${status.scope === 'global' ? '' : `for "${status.scope}" `}of $${status.limitUsd.toFixed(2)} is spent ($${status.spentUsd.toFixed(2)} so far${status.reservedUsd > 0 ? `, $${status.reservedUsd.toFixed(2)} held by calls in flight` : ''}); it resets at the start of the next ${status.period}. Raise it in config.json (budgets) or with "Tollgate: Set Budget".`,
    );
  }
  return verdict;
}

/** Every configured limit with its current spend: for the check above and for the stats. */
export function budgetStatuses(config: Config, tracker: SpendTracker, onlyAlias?: string | undefined): BudgetStatus[] {
  const scopes: [string, Budget, string | undefined][] = [];
  if (config.budgets) scopes.push(['global', config.budgets, undefined]);
  for (const [name, alias] of Object.entries(config.models)) {
    if (alias.budget && (onlyAlias === undefined || onlyAlias === name)) scopes.push([name, alias.budget, name]);
  }
  const statuses: BudgetStatus[] = [];
  for (const [scope, budget, alias] of scopes) {
    for (const [period, limit] of [['day', budget.dailyUsd], ['month', budget.monthlyUsd]] as const) {
      if (limit === undefined) continue;
      const spentUsd = tracker.spentIn(period, alias);
      const reservedUsd = tracker.reservedIn(period, alias);
      const committed = spentUsd + reservedUsd;
      statuses.push({
        scope,
        period,
        limitUsd: limit,
        spentUsd,
        reservedUsd,
        remainingUsd: Math.max(0, limit - committed),
        warning: committed >= limit * budget.warnAt,
        exceeded: committed >= limit,
        warnAt: budget.warnAt,
        onLimit: budget.onLimit,
        downgradeTo: budget.downgradeTo ?? null,
      });
    }
  }
  return statuses;
}
