import type { BudgetStatusEntry, StatsResponse } from '../daemon/gateway/api/contracts';
import { endOfLocalDay, startOfLocalDay, startOfLocalMonth } from '../daemon/shared/local-time';

/** A budget's period drawn as uPlot columns: spend so far, the limit, and where the burn rate ends. */
export interface BurnDown {
  period: 'day' | 'month';
  /** Seconds since the epoch (uPlot's x): the period's start, each bucket's end up to now, now, the period's end. */
  x: number[];
  spent: (number | null)[];
  limit: number[];
  projected: (number | null)[];
  /** Spend at the period's end at the rate since its start. */
  projectedUsd: number;
}

const endOfLocalMonth = (at: number): number => ((d) => new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime())(new Date(at));

/**
 * The spend of a budget's period over time, from its status (spent so far, by completed calls)
 * and the range's buckets: the spend at a bucket's end is what was spent by now less the buckets
 * after it. A range shorter than the period starts the line at the range's first bucket.
 */
export function burnDown(budget: BudgetStatusEntry, buckets: StatsResponse['byBucket'], bucketMs: number, now: number): BurnDown {
  const start = budget.period === 'day' ? startOfLocalDay(now) : startOfLocalMonth(now);
  const end = budget.period === 'day' ? endOfLocalDay(now) : endOfLocalMonth(now);
  const inPeriod = buckets.filter((b) => b.start >= start && b.start <= now).sort((a, b) => a.start - b.start);
  const inRange = inPeriod.reduce((sum, b) => sum + b.costUsd, 0);
  const first = buckets.length > 0 && Math.min(...buckets.map((b) => b.start)) > start ? Math.min(...buckets.map((b) => b.start)) : start;
  const times = [first];
  const spent = [Math.max(0, budget.spentUsd - inRange)];
  let after = inRange;
  for (const bucket of inPeriod) {
    after -= bucket.costUsd;
    const t = Math.min(bucket.start + bucketMs, now);
    if (t <= times.at(-1)!) continue;
    times.push(t);
    spent.push(budget.spentUsd - after);
  }
  if (now > times.at(-1)!) {
    times.push(now);
    spent.push(budget.spentUsd);
  }
  const projectedUsd = budget.spentUsd + (budget.spentUsd / Math.max(1, now - start)) * (end - now);
  times.push(end);
  const x = times.map((t) => t / 1000);
  return {
    period: budget.period,
    x,
    spent: [...spent, null],
    limit: x.map(() => budget.limitUsd),
    projected: x.map((_, i) => (i === x.length - 2 ? budget.spentUsd : i === x.length - 1 ? projectedUsd : null)),
    projectedUsd,
  };
}
