import type { SseEvent } from './sse-splitter';

/** Token counts as the gateway logs them. inputTokens includes cached (read and written) tokens. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export interface ResponseFacts {
  usage?: Usage | undefined;
  /** The model the provider says served the call ("gpt-4o-2024-08-06" for "gpt-4o"). */
  servedModel?: string | undefined;
}

/**
 * How to read usage from one API shape. Which provider served the call does not matter: an
 * OpenAI-shaped response carries OpenAI-shaped usage whoever produced it.
 */
export interface UsageReader {
  fromJson(body: unknown): ResponseFacts;
  /**
   * Cheap byte-level test run on every streamed event: only events that may carry usage or
   * the model name are decoded and handed to `fromEvent`.
   */
  mayCarryFacts(rawEvent: Buffer, index: number): boolean;
  /** Folds one decoded event into what is known so far. */
  fromEvent(event: SseEvent, known: ResponseFacts): ResponseFacts;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
