import { num, type ResponseFacts, type Usage, type UsageReader } from './types';
import { isRecord, parseJson } from '../../shared/json';

/**
 * OpenAI chat completions (and everything OpenAI-compatible: Groq, Together, vLLM, Ollama…).
 * Usage: {prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens,
 * completion_tokens_details.reasoning_tokens}. In a stream it arrives only in the final chunk,
 * and only when stream_options.include_usage was set (the gateway sets it).
 */
export function openaiUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const promptDetails = isRecord(value['prompt_tokens_details']) ? value['prompt_tokens_details'] : {};
  const completionDetails = isRecord(value['completion_tokens_details']) ? value['completion_tokens_details'] : {};
  return {
    inputTokens: num(value['prompt_tokens']),
    outputTokens: num(value['completion_tokens']),
    cacheReadTokens: num(promptDetails['cached_tokens']),
    cacheWriteTokens: 0,
    reasoningTokens: num(completionDetails['reasoning_tokens']),
  };
}


export const openaiChatUsage: UsageReader = {
  fromJson(body) {
    if (!isRecord(body)) return {};
    return { usage: openaiUsage(body['usage']), servedModel: stringOrUndefined(body['model']) };
  },
  mayCarryFacts(rawEvent, index) {
    // The first chunk names the model; the usage chunk is the only one with a usage object.
    // Byte searches, no decoding: with include_usage every other chunk says "usage":null.
    return index === 0 || rawEvent.includes('"usage":{') || rawEvent.includes('"usage": {');
  },
  fromEvent(event, known): ResponseFacts {
    const chunk = parseJson(event.data);
    if (!isRecord(chunk)) return known;
    return {
      servedModel: known.servedModel ?? stringOrUndefined(chunk['model']),
      usage: openaiUsage(chunk['usage']) ?? known.usage,
    };
  },
};

/** True for the extra usage-only chunk OpenAI appends when include_usage is set. */
export function isUsageOnlyChunk(data: string): boolean {
  const chunk = parseJson(data);
  return isRecord(chunk) && isRecord(chunk['usage']) && Array.isArray(chunk['choices']) && chunk['choices'].length === 0;
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
