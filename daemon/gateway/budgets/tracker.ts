import { endOfLocalDay, startOfLocalDay, startOfLocalMonth } from '../../shared/local-time';
import type { Db } from '../store/db';

/** The two budget periods, by the daemon's local calendar. */
export type Period = 'day' | 'month';

/** Spend held for a call in flight until its real cost is known. */
export interface Reservation {
  /** Replaces the held amount with what the call really cost (0 for a call that cost nothing). */
  settle(costUsd: number): void;
}

const SETTLED: Reservation = { settle: () => undefined };
const PERIODS: readonly Period[] = ['day', 'month'];

/**
 * Spend so far today and this month, for all traffic and per alias. Read from the log (indexed
 * range sums) when a budget first asks, then kept current in memory as calls complete, so a
 * budget check costs a Map lookup and sees calls the writer has not committed yet.
 *
 * Calls in flight hold a reservation of their expected cost, which admission counts as spent:
 * without it, fifty concurrent calls all pass a check that only sees completed calls, and a $1
 * budget ends at $4.65. With no budget configured it does nothing at all: the log is the record,
 * this is only a fast view.
 */
export class SpendTracker {
  private readonly spent = new Map<string, number>();
  private readonly reserved = new Map<string, number>();
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

  /** Whether budgets exist, so that calls should reserve their expected cost. */
  get tracking(): boolean {
    return this.active;
  }

  /** Tracks spend only while budgets exist; a config change starts over from the log. */
  configure(hasBudgets: boolean): void {
    this.active = hasBudgets;
    this.spent.clear();
  }

  /** USD spent in the current period by completed calls, globally (alias undefined) or under one alias. */
  spentIn(period: Period, alias?: string, now = Date.now()): number {
    const key = this.keyOf(period, alias, now);
    let value = this.spent.get(key);
    if (value === undefined) {
      const start = this.startOf(period, now);
      value = (alias === undefined ? this.sumAll.get(start) : this.sumAlias.get(alias, start))?.total ?? 0;
      this.spent.set(key, value);
    }
    return value;
  }

  /** USD held by calls in flight in the current period. */
  reservedIn(period: Period, alias?: string, now = Date.now()): number {
    return this.reserved.get(this.keyOf(period, alias, now)) ?? 0;
  }

  /** Holds `costUsd` against every period and scope the call falls in, until the call settles it. */
  reserve(costUsd: number, alias: string | undefined, now = Date.now()): Reservation {
    if (!this.active) return SETTLED;
    const keys = this.keysOf(alias, now);
    const held = Math.max(0, costUsd);
    for (const key of keys) this.reserved.set(key, (this.reserved.get(key) ?? 0) + held);
    let settled = false;
    return {
      settle: (actualUsd) => {
        if (settled) return;
        settled = true;
        for (const key of keys) {
          const left = (this.reserved.get(key) ?? 0) - held;
          if (left > 1e-12) this.reserved.set(key, left);
          else this.reserved.delete(key);
        }
        this.add(actualUsd, alias);
      },
    };
  }

  /** Counts a completed call's cost toward every period and scope it falls in. */
  add(costUsd: number, alias: string | undefined, now = Date.now()): void {
    if (!this.active || !(costUsd > 0)) return;
    for (const period of PERIODS) {
      for (const scope of alias === undefined ? [undefined] : [undefined, alias]) {
        this.spent.set(this.keyOf(period, scope, now), this.spentIn(period, scope, now) + costUsd);
      }
    }
  }

  private keysOf(alias: string | undefined, now: number): string[] {
    const scopes = alias === undefined ? [undefined] : [undefined, alias];
    return PERIODS.flatMap((period) => scopes.map((scope) => this.keyOf(period, scope, now)));
  }

  private keyOf(period: Period, alias: string | undefined, now: number): string {
    return `${period}:${this.startOf(period, now)}:${alias ?? ''}`;
  }

  private startOf(period: Period, now: number): number {
    if (now >= this.starts.dayEnds || now < this.starts.day) {
      this.starts = { day: startOfLocalDay(now), month: startOfLocalMonth(now), dayEnds: endOfLocalDay(now) };
    }
    return this.starts[period];
  }
}
