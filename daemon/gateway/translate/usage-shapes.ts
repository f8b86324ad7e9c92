import { anthropicUsage } from '../usage/anthropic-messages';
import { openaiUsage } from '../usage/openai-chat';
import { ZERO_USAGE } from '../usage/types';
import type { Json } from './refuse';

/**
 * Token counts moved between the two usage shapes without losing any, through the usage readers
 * the log uses (usage/): OpenAI's prompt_tokens includes cached tokens, Anthropic's input_tokens
 * excludes cache reads and writes, which it reports beside it. Reasoning tokens stay inside the
 * output count, as both APIs bill them.
 */
export function messagesUsageOfChat(usage: unknown): Json {
  const u = openaiUsage(usage) ?? ZERO_USAGE;
  return {
    input_tokens: Math.max(0, u.inputTokens - u.cacheReadTokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: u.cacheReadTokens,
    output_tokens: u.outputTokens,
  };
}

export function chatUsageOfMessages(usage: unknown): Json {
  const u = anthropicUsage(usage) ?? ZERO_USAGE;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

/** The Responses API's usage block of an Anthropic message. */
export function responsesUsageOfMessages(usage: unknown): Json {
  const u = anthropicUsage(usage) ?? ZERO_USAGE;
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cacheReadTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}
