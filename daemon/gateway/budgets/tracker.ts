import type { Db } from '../store/db';

/** The two budget periods, by the daemon's local calendar. */
export type Period = 'day' | 'month';

export function periodStart(period: Period, now = new Date()): number {
  return period === 'day'
    ? new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()
    : new Date(now.getFullYear(), now.getMonth(), 1).getTime();
}

/**
 * Spend so far today and this month, for all traffic and per alias. Read once from the log at
 * start-up (indexed range sums), then kept current in memory as calls are logged, so a budget
 * check costs a Map lookup and sees calls the writer has not committed yet.
 */
export class SpendTracker {
  private readonly spent = new Map<string, number>();
  private readonly sumAll;
  private readonly sumAlias;

  constructor(db: Db) {
    this.sumAll = db.prepare<[number], { total: number | null }>('SELECT sum(cost_usd) AS total FROM requests WHERE ts >= ?');
    this.sumAlias = db.prepare<[string, number], { total: number | null }>(
      'SELECT sum(r.cost_usd) AS total FROM requests r JOIN labels l ON l.id = r.requested_model WHERE l.value = ? AND r.ts >= ?',
    );
  }

  /** USD spent in the current period, globally (alias undefined) or under one alias. */
  spentIn(period: Period, alias?: string, now = new Date()): number {
    const start = periodStart(period, now);
    const key = `${period}:${start}:${alias ?? ''}`;
    let value = this.spent.get(key);
    if (value === undefined) {
      value = (alias === undefined ? this.sumAll.get(start) : this.sumAlias.get(alias, start))?.total ?? 0;
      this.spent.set(key, value);
    }
    return value;
  }

  /** Counts a logged call's cost toward every period it falls in. */
  add(costUsd: number, alias: string | undefined, at = new Date()): void {
    if (costUsd <= 0) return;
    for (const period of ['day', 'month'] as const) {
      for (const scope of alias === undefined ? [undefined] : [undefined, alias]) {
        const current = this.spentIn(period, scope, at);
        this.spent.set(`${period}:${periodStart(period, at)}:${scope ?? ''}`, current + costUsd);
      }
    }
  }
}
