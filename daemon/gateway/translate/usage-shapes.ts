import { isRecord } from '../../shared/json';
import { num } from '../usage/types';
import type { Json } from './refuse';

/**
 * Token counts moved between the two usage shapes without losing any: OpenAI's prompt_tokens
 * includes cached tokens, Anthropic's input_tokens excludes cache reads and writes, which it
 * reports beside it. Reasoning tokens stay inside the output count, as both APIs bill them.
 */
export function messagesUsageOfChat(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const details = isRecord(u['prompt_tokens_details']) ? u['prompt_tokens_details'] : {};
  const cached = num(details['cached_tokens']);
  return {
    input_tokens: Math.max(0, num(u['prompt_tokens']) - cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: num(u['completion_tokens']),
  };
}

export function chatUsageOfMessages(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const cacheRead = num(u['cache_read_input_tokens']);
  const prompt = num(u['input_tokens']) + num(u['cache_creation_input_tokens']) + cacheRead;
  const completion = num(u['output_tokens']);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
