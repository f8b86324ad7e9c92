import { formatUsd } from '../cli/format';
import { endOfLocalDay } from '../../shared/local-time';
import type { AdviceItem } from '../api/advice-contracts';
import type { AdviceRule } from './rule';

const DAY_MS = 86_400_000;

/** The local midnight that ends the month containing `at`. */
function endOfLocalMonth(at: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth() + 1, 1).getTime();
}

/**
 * Global budgets that the window's burn rate (its spend over the time it covers) carries past
 * their limit before the period ends. A budget already exceeded is the status bar's news, not
 * advice. Alias budgets are left out: the rollups do not split spend by alias.
 */
export const budgetsOnCourseToOverrun: AdviceRule = ({ budgets, costUsd, facts, now }) => {
  const ratePerMs = costUsd / facts.observedMs;
  const items: AdviceItem[] = [];
  for (const budget of budgets) {
    if (budget.scope !== 'global' || budget.exceeded || ratePerMs <= 0) continue;
    const end = budget.period === 'day' ? endOfLocalDay(now) : endOfLocalMonth(now);
    const committed = budget.spentUsd + budget.reservedUsd;
    const projected = committed + ratePerMs * (end - now);
    if (projected <= budget.limitUsd) continue;
    const reachedAt = now + (budget.limitUsd - committed) / ratePerMs;
    items.push({
      kind: 'budget',
      title: `Raise the ${budget.period === 'day' ? 'daily' : 'monthly'} budget or cut spend`,
      summary: `At the current burn rate the ${budget.period === 'day' ? 'daily' : 'monthly'} limit of ${formatUsd(budget.limitUsd)} is reached ${when(reachedAt, now)}, and calls are refused from then to the end of the ${budget.period}.`,
      evidence: [
        { label: `Spent this ${budget.period}`, value: formatUsd(committed) },
        { label: 'Burn rate', value: `${formatUsd(ratePerMs * DAY_MS)} a day` },
        { label: `Projected by the end of the ${budget.period}`, value: formatUsd(projected) },
        { label: 'Limit', value: formatUsd(budget.limitUsd) },
      ],
      effect: { unit: 'usd', amount: projected - budget.limitUsd, per: budget.period },
      share: Math.min(1, (projected - budget.limitUsd) / budget.limitUsd),
      action: { command: 'tollgate.setBudget', label: 'Change the budget', args: [] },
    });
  }
  return items;
};

function when(at: number, now: number): string {
  const hours = (at - now) / 3_600_000;
  if (hours < 1) return 'within the hour';
  if (hours < 48) return `in about ${Math.round(hours)} h`;
  return `in about ${Math.round(hours / 24)} days (${new Date(at).toISOString().slice(0, 10)})`;
}
