import { z } from 'zod';

/**
 * What the gateway checks before spending a provider call: the fields it reads itself (model,
 * stream, messages) and the types of common parameters, so that a caller's mistake is answered
 * at once with a message naming the field. Objects are loose: fields the gateway does not know
 * pass through untouched, so new provider parameters work without a gateway release.
 */

const model = z.string({ error: 'model is required and must be a string' }).min(1, 'model must not be empty');
const optionalNumber = z.number().nullish();
const positiveInt = z.number().int().positive().nullish();

const chatMessage = z.looseObject({
  role: z.string({ error: 'each message needs a string role' }),
});

export const chatCompletionRequest = z.looseObject({
  model,
  messages: z.array(chatMessage, { error: 'messages must be an array of {role, content} objects' }).min(1, 'messages must not be empty'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: positiveInt,
  max_completion_tokens: positiveInt,
  n: positiveInt,
  temperature: optionalNumber,
  top_p: optionalNumber,
});

const tokenArray = z.array(z.number().int());
export const embeddingsRequest = z.looseObject({
  model,
  input: z.union([z.string(), z.array(z.string()).min(1), tokenArray.min(1), z.array(tokenArray).min(1)], {
    error: 'input must be a string, an array of strings, or token arrays',
  }),
  dimensions: positiveInt,
});

export const responsesRequest = z.looseObject({
  model,
  input: z.union([z.string(), z.array(z.unknown())]).nullish(),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: positiveInt,
  temperature: optionalNumber,
});

const anthropicMessage = z.looseObject({
  role: z.enum(['user', 'assistant'], { error: 'message role must be "user" or "assistant"' }),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))], {
    error: 'message content must be a string or an array of content blocks',
  }),
});

export const anthropicMessagesRequest = z.looseObject({
  model,
  messages: z.array(anthropicMessage, { error: 'messages must be an array' }).min(1, 'messages must not be empty'),
  max_tokens: z.number({ error: 'max_tokens is required and must be a number' }).int().positive(),
  system: z.union([z.string(), z.array(z.unknown())]).nullish(),
  stream: z.boolean().nullish(),
  temperature: optionalNumber,
});

export const anthropicCountTokensRequest = z.looseObject({
  model,
  messages: z.array(anthropicMessage, { error: 'messages must be an array' }).min(1, 'messages must not be empty'),
});

/**
 * The most output tokens the request allows (max_tokens, max_completion_tokens or
 * max_output_tokens, times n choices), or undefined when it sets no cap.
 */
export function outputCapOf(body: ProxiedBody): number | undefined {
  const cap = body['max_tokens'] ?? body['max_completion_tokens'] ?? body['max_output_tokens'];
  if (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap <= 0) return undefined;
  const n = body['n'];
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 1 ? cap * n : cap;
}

/** The fields every validated body shares, as the pipeline reads them. */
export interface ProxiedBody {
  model: string;
  stream?: boolean | null | undefined;
  [field: string]: unknown;
}
