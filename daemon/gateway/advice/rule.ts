import type { AdviceItem } from '../api/advice-contracts';
import type { BudgetStatusEntry } from '../api/contracts';
import type { RuntimeConfig } from '../config/runtime';
import type { AdviceFacts } from '../store/advice-queries';
import type { ReplayableCall } from '../store/whatif-queries';
import type { NearDuplicateEstimate } from './near-duplicate-sampler';

export const MONTH_MS = 30 * 86_400_000;

/** What every rule may read; rules are pure functions of it. */
export interface AdviceContext {
  facts: AdviceFacts;
  /** Multiplies an amount over the observed window into one over a 30-day month. */
  toMonth: number;
  /** The window's calls, spend and waiting (summed latency), over every model: what shares are of. */
  calls: number;
  costUsd: number;
  waitMs: number;
  runtime: RuntimeConfig;
  budgets: readonly BudgetStatusEntry[];
  /** The window's newest replayable calls (the what-if report's kind), read only when a rule asks. */
  routingSample: () => (ReplayableCall & { ts: number })[];
  /** The latest background estimate of what the semantic cache would have caught; undefined until one is ready. */
  nearDuplicates: () => NearDuplicateEstimate | undefined;
  now: number;
}

/** One kind of advice: nothing when it does not apply or the log holds too little to say. */
export type AdviceRule = (context: AdviceContext) => AdviceItem[];

/** How many calls a rule needs before a figure is evidence rather than noise. */
export const MIN_CALLS = 20;

export const share = (part: number, whole: number): number => (whole > 0 ? Math.min(1, part / whole) : 0);

export const percent = (part: number, whole: number): string => `${whole > 0 ? ((100 * part) / whole).toFixed(part / whole < 0.1 ? 1 : 0) : 0} %`;

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(s >= 10 ? 0 : 1)} s`;
}
