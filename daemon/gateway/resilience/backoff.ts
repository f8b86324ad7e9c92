import type { Config } from '../config/schema';

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): at least half the step, so a retry never comes at once, and a random rest, so that
 * many clients retrying after the same outage spread out instead of arriving together.
 */
export function backoffMs(round: number, resilience: Config['resilience'], random = Math.random): number {
  const ceiling = Math.min(resilience.backoffMaxMs, resilience.backoffBaseMs * 2 ** round);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
