import type { Usage } from './types';

/** Beyond any context window on sale today (Gemini's 2M, with room); used when the model's is unknown. */
const NO_KNOWN_WINDOW = 10_000_000;
/** Below this, usage needs no context-window lookup to be believed. */
const CHEAP_CHECK_LIMIT = 100_000;

export interface UsageBounds {
  /** The output the request allowed (max_tokens and friends), when it set one. */
  outputCap: number | undefined;
  /** Looked up only when counts are large: the model's context window, if the price table knows it. */
  contextWindow: () => number | undefined;
}

/**
 * Whether a provider's token counts can be believed. A count must be a non-negative whole number;
 * cached parts cannot exceed the input nor reasoning the output; output cannot exceed what the
 * request allowed; and neither side can exceed the model's context window. One response reporting
 * `completion_tokens: 1e308` would otherwise price a call at $1e301, break every total and block
 * every later call against a budget.
 */
export function isPlausibleUsage(usage: Usage, bounds: UsageBounds): boolean {
  const counts = [usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWriteTokens, usage.reasoningTokens];
  if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0)) return false;
  if (usage.cacheReadTokens + usage.cacheWriteTokens > usage.inputTokens || usage.reasoningTokens > usage.outputTokens) return false;
  if (bounds.outputCap !== undefined && usage.outputTokens > bounds.outputCap) return false;
  if (usage.inputTokens <= CHEAP_CHECK_LIMIT && usage.outputTokens <= CHEAP_CHECK_LIMIT) return true;
  const window = bounds.contextWindow() ?? NO_KNOWN_WINDOW;
  return usage.inputTokens <= window && usage.outputTokens <= window;
}
