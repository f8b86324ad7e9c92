import { endOfLocalDay, startOfLocalDay, startOfLocalMonth } from '../../shared/local-time';
import type { Db } from '../store/db';

/** The two budget periods, by the daemon's local calendar. */
export type Period = 'day' | 'month';

/**
 * Spend so far today and this month, for all traffic and per alias. Read from the log (indexed
 * range sums) when a budget first asks, then kept current in memory as calls are logged, so a
 * budget check costs a Map lookup and sees calls the writer has not committed yet. With no
 * budget configured it does nothing at all: the log is the record, this is only a fast view.
 */
export class SpendTracker {
  private readonly spent = new Map<string, number>();
  private readonly sumAll;
  private readonly sumAlias;
  /** Day and month starts, recomputed only when the current day ends. */
  private starts = { day: 0, month: 0, dayEnds: 0 };
  private active = false;

  constructor(db: Db) {
    this.sumAll = db.prepare<[number], { total: number | null }>('SELECT sum(cost_usd) AS total FROM requests WHERE ts >= ?');
    this.sumAlias = db.prepare<[string, number], { total: number | null }>(
      'SELECT sum(r.cost_usd) AS total FROM requests r JOIN labels l ON l.id = r.requested_model WHERE l.value = ? AND r.ts >= ?',
    );
  }

  /** Tracks spend only while budgets exist; a config change starts over from the log. */
  configure(hasBudgets: boolean): void {
    this.active = hasBudgets;
    this.spent.clear();
  }

  /** USD spent in the current period, globally (alias undefined) or under one alias. */
  spentIn(period: Period, alias?: string, now = Date.now()): number {
    const start = this.startOf(period, now);
    const key = `${period}:${start}:${alias ?? ''}`;
    let value = this.spent.get(key);
    if (value === undefined) {
      value = (alias === undefined ? this.sumAll.get(start) : this.sumAlias.get(alias, start))?.total ?? 0;
      this.spent.set(key, value);
    }
    return value;
  }

  /** Counts a logged call's cost toward every period and scope it falls in. */
  add(costUsd: number, alias: string | undefined, now = Date.now()): void {
    if (!this.active || costUsd <= 0) return;
    for (const period of ['day', 'month'] as const) {
      for (const scope of alias === undefined ? [undefined] : [undefined, alias]) {
        const current = this.spentIn(period, scope, now);
        this.spent.set(`${period}:${this.startOf(period, now)}:${scope ?? ''}`, current + costUsd);
      }
    }
  }

  private startOf(period: Period, now: number): number {
    if (now >= this.starts.dayEnds || now < this.starts.day) {
      this.starts = { day: startOfLocalDay(now), month: startOfLocalMonth(now), dayEnds: endOfLocalDay(now) };
    }
    return this.starts[period];
  }
}
