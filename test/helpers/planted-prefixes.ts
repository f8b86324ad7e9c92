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
  /** OpenAI's gpt-4o, USD per million input tokens: uncached and cached (it caches by itself, writes cost nothing extra). */
  openai: { model: 'gpt-4o', input: 2.5, cacheRead: 1.25 },
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
  /** Anthropic Messages (the default) or OpenAI chat with a system message. */
  openai?: boolean;
}

/** Messages calls sharing one system prompt, each with its own question. */
export function prefixCalls({ at, calls, everyMs, tokens, topic, cachedTokens = 0, openai = false }: Calls): LogRow[] {
  const system = systemPrompt(tokens, topic);
  const model = openai ? PREFIXES.openai.model : PREFIXES.model;
  const question = (i: number) => ({ role: 'user', content: `Question ${i}: what does clause ${i} mean?` });
  return Array.from({ length: calls }, (_, i) =>
    row({
      ts: at + i * everyMs,
      endpoint: openai ? 'chat' : 'messages',
      upstreamEndpoint: openai ? 'chat' : 'messages',
      provider: openai ? 'openai' : 'anthropic',
      keyAlias: openai ? 'openai#1' : 'ant-main',
      requestedModel: model,
      servedModel: model,
      promptTokens: tokens + 20,
      completionTokens: 50,
      cachedTokens,
      costUsd: ((tokens + 20) * (openai ? PREFIXES.openai.input : PREFIXES.price.input) + 50 * 10) / 1e6,
      latencyMs: 500,
      requestBody: Buffer.from(
        JSON.stringify(openai ? { model, messages: [{ role: 'system', content: system }, question(i)] } : { model, max_tokens: 100, system, messages: [question(i)] }),
      ),
    }),
  );
}

/** The burst on the third day of the log, to Anthropic; the same on the fourth, to OpenAI. */
export const prefixBursts = (start: number): LogRow[] => [
  ...prefixCalls({ at: start + 2 * DAY_MS, ...PREFIXES.burst, topic: 'contract' }),
  ...prefixCalls({ at: start + 3 * DAY_MS, ...PREFIXES.burst, topic: 'contract', openai: true }),
];

/** Look-alikes that must not be advised on: already cached, too short, or too far apart to be cached. */
export const prefixLookAlikes = (start: number): LogRow[] => [
  ...prefixCalls({ at: start + 2 * DAY_MS, ...PREFIXES.burst, topic: 'cached', cachedTokens: 1500 }),
  ...prefixCalls({ at: start + 3 * DAY_MS, ...PREFIXES.burst, tokens: 600, topic: 'short' }),
  ...prefixCalls({ at: start + 4 * DAY_MS, ...PREFIXES.burst, everyMs: 30 * 60_000, topic: 'spread' }),
];
