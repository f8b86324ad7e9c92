import { stringOrUndefined } from './openai-chat';
import { num, type UsageReader } from './types';
import { isRecord } from '../../shared/json';

/** Embeddings bill input tokens only: usage {prompt_tokens, total_tokens}. Never streamed. */
export const openaiEmbeddingsUsage: UsageReader = {
  fromJson(body) {
    if (!isRecord(body)) return {};
    const usage = body['usage'];
    return {
      servedModel: stringOrUndefined(body['model']),
      usage: isRecord(usage)
        ? { inputTokens: num(usage['prompt_tokens']), outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }
        : undefined,
    };
  },
  mayCarryFacts: () => false,
  fromEvent: (_event, known) => known,
};
