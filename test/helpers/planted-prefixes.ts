import type { LogRow } from '../../daemon/gateway/store/log-row';
import { row } from './log-rows';
import { DAY_MS } from './planted-log';

/**
 * Calls that resend one long system prompt, for the prompt-caching advice. "word " is one token
 * in OpenAI's o200k encoding (what the advisor counts with), so the prefix is `tokens` tokens.
 */
export const PREFIXES = {
  model: 'claude-sonnet-4-5',
  /** Anthropic's Claude Sonnet 4.5, USD per million input tokens: uncached, cache read, cache write (5 min). */
  price: { input: 3, cacheRead: 0.3, cacheWrite: 3.75 },
  /** Every 3 minutes, inside the 5-minute cache lifetime: the first writes the cache, the rest would read it. */
  burst: { calls: 40, everyMs: 3 * 60_000, tokens: 1500 },
} as const;

const systemPrompt = (tokens: number, topic: string): string => `${topic}:${'word '.repeat(tokens)}`;

interface Calls {
  at: number;
  calls: number;
  everyMs: number;
  tokens: number;
  topic: string;
  cachedTokens?: number;
}

/** Messages calls sharing one system prompt, each with its own question. */
export function prefixCalls({ at, calls, everyMs, tokens, topic, cachedTokens = 0 }: Calls): LogRow[] {
  const system = systemPrompt(tokens, topic);
  return Array.from({ length: calls }, (_, i) =>
    row({
      ts: at + i * everyMs,
      endpoint: 'messages',
      upstreamEndpoint: 'messages',
      provider: 'anthropic',
      keyAlias: 'ant-main',
      requestedModel: PREFIXES.model,
      servedModel: PREFIXES.model,
      promptTokens: tokens + 20,
      completionTokens: 50,
      cachedTokens,
      costUsd: ((tokens + 20) * PREFIXES.price.input + 50 * 15) / 1e6,
      latencyMs: 500,
      requestBody: Buffer.from(JSON.stringify({ model: PREFIXES.model, max_tokens: 100, system, messages: [{ role: 'user', content: `Question ${i}: what does clause ${i} mean?` }] })),
    }),
  );
}

/** The burst on the third day of the log. */
export const prefixBurst = (start: number): LogRow[] => prefixCalls({ at: start + 2 * DAY_MS, ...PREFIXES.burst, topic: 'contract' });

/** Look-alikes that must not be advised on: already cached, too short, or too far apart to be cached. */
export const prefixLookAlikes = (start: number): LogRow[] => [
  ...prefixCalls({ at: start + 2 * DAY_MS, ...PREFIXES.burst, topic: 'cached', cachedTokens: 1500 }),
  ...prefixCalls({ at: start + 3 * DAY_MS, ...PREFIXES.burst, tokens: 600, topic: 'short' }),
  ...prefixCalls({ at: start + 4 * DAY_MS, ...PREFIXES.burst, everyMs: 30 * 60_000, topic: 'spread' }),
];
