import { stringOrUndefined } from './openai-chat';
import { num, type ResponseFacts, type Usage, type UsageReader } from './types';
import { isRecord, parseJson } from '../../shared/json';

/**
 * Anthropic Messages API. Its input_tokens EXCLUDES cached tokens, so the total input is
 * input + cache_creation + cache_read. In a stream, message_start carries the input side and
 * message_delta the cumulative output_tokens.
 */
export function anthropicUsage(value: unknown, previous?: Usage): Usage | undefined {
  if (!isRecord(value)) return previous;
  const cacheWrite = num(value['cache_creation_input_tokens']) || (previous?.cacheWriteTokens ?? 0);
  const cacheRead = num(value['cache_read_input_tokens']) || (previous?.cacheReadTokens ?? 0);
  const uncached = 'input_tokens' in value ? num(value['input_tokens']) : uncachedOf(previous);
  return {
    inputTokens: uncached + cacheWrite + cacheRead,
    outputTokens: 'output_tokens' in value ? num(value['output_tokens']) : (previous?.outputTokens ?? 0),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: 0,
  };
}

function uncachedOf(usage: Usage | undefined): number {
  return usage ? usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens : 0;
}

export const anthropicMessagesUsage: UsageReader = {
  fromJson(body): ResponseFacts {
    if (!isRecord(body)) return {};
    return { usage: anthropicUsage(body['usage']), servedModel: stringOrUndefined(body['model']) };
  },
  mayCarryFacts(rawEvent) {
    return rawEvent.includes('message_start') || rawEvent.includes('message_delta');
  },
  fromEvent(event, known) {
    const payload = parseJson(event.data);
    if (!isRecord(payload)) return known;
    if (payload['type'] === 'message_start' && isRecord(payload['message'])) {
      const message = payload['message'];
      return { servedModel: stringOrUndefined(message['model']), usage: anthropicUsage(message['usage'], known.usage) };
    }
    if (payload['type'] === 'message_delta') return { ...known, usage: anthropicUsage(payload['usage'], known.usage) };
    return known;
  },
};
