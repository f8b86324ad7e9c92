import { z } from 'zod';
import { whatIfQuery } from './contracts';

/**
 * GET /tollgate/v1/advice?since=7d: what the gateway's own log says would cut the bill or the
 * waiting, ranked, each with the figures it rests on. Browser-safe (the panel imports it).
 */

/** `since`: ms since the epoch, or a span back from now ("24h", "7d"); the default is 7 days, as for the what-if report. */
export const adviceQuery = whatIfQuery;

export const ADVICE_KINDS = ['duplicates', 'near-duplicates', 'routing', 'rate-limits', 'slow-model', 'streaming', 'prompt-caching', 'budget'] as const;

export const adviceItem = z.object({
  kind: z.enum(ADVICE_KINDS),
  /** What to do, as a short imperative ("Turn on the exact cache"). */
  title: z.string(),
  /** Why, in one or two sentences. */
  summary: z.string(),
  /** The figures from the log the advice rests on; never empty. */
  evidence: z.array(z.object({ label: z.string(), value: z.string() })).min(1),
  /**
   * What following it is expected to save (dollars or seconds of waiting), extrapolated from the
   * window to a 30-day month; for a budget, the overrun expected by the end of its period.
   */
  effect: z.object({ unit: z.enum(['usd', 'seconds']), amount: z.number(), per: z.enum(['month', 'day']) }),
  /**
   * The ranking key: the effect as a share of the window's spend (dollar advice), of its waiting,
   * summed latency (time advice), or of the limit (a budget's overrun).
   */
  share: z.number(),
  /** An editor command that applies it, when one exists (the panel shows it as a button). */
  action: z.object({ command: z.string(), label: z.string(), args: z.array(z.union([z.string(), z.boolean()])) }).nullable(),
});
export type AdviceItem = z.infer<typeof adviceItem>;

export const adviceResponse = z.object({
  since: z.number(),
  until: z.number(),
  /** How much of the window the log covers (from its first call in it), in ms: what the monthly figures are scaled from. */
  observedMs: z.number(),
  /** Calls in the window. */
  calls: z.number(),
  /** Most effective first; only advice that applies and has evidence. */
  advice: z.array(adviceItem),
  /** Kinds of advice still being computed in the background (the near-duplicate sample): asked again later, they may appear. */
  pending: z.array(z.enum(ADVICE_KINDS)).optional(),
});
export type AdviceResponse = z.infer<typeof adviceResponse>;
