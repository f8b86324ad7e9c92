import { priceUsage } from '../../daemon/pricing/price';
import type { LogRow } from '../../daemon/gateway/store/log-row';
import { row } from './log-rows';

/**
 * A week of logged calls with known patterns, for the advisor's tests: each pattern's size and
 * figures are constants here, so a test computes what the advice should say by hand.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const cost = (model: string, promptTokens: number, completionTokens: number): number => {
  const price = priceUsage({ inputTokens: promptTokens, outputTokens: completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, { pricingProvider: 'openai', model });
  if (!price.known) throw new Error(`no price for ${model}`);
  return price.costUsd;
};

export const PLANTED = {
  /** Background: gpt-4o-mini, 300 in / 100 out, 500 ms; a quarter streamed with 200 ms to the first token. */
  background: { calls: 200, streamed: 50, latencyMs: 500, ttftMs: 200 },
  /** gpt-4o with bodies of plain questions: the "simple" tier (gpt-4o-mini) serves them. */
  routable: { calls: 60, latencyMs: 500 },
  /** One deterministic request repeated every 10 minutes with the cache off: all but the first are duplicates. */
  duplicates: { calls: 40 },
  /** Calls whose first attempt hit key openai#2 and got 429 after 30 ms, then openai#1 served them. */
  rateLimited: { calls: 30, refusedMs: 30 },
  /** Calls whose first target (gpt-4o) failed with 503, served by the fallback gpt-4o-mini. */
  fallbacks: { calls: 10 },
  /** gpt-4o, 8,000-token prompts (routed as "complex": they stay), 6 s. */
  slow: { calls: 30, latencyMs: 6000 },
  /** gpt-4o, 800-token answers fetched without streaming, 8 s. */
  longUnstreamed: { calls: 20, latencyMs: 8000, completionTokens: 800 },
} as const;

/** The background alone: a log nothing is wrong with. */
export function cleanLog(start: number): LogRow[] {
  const b = PLANTED.background;
  return Array.from({ length: b.calls }, (_, i) =>
    mini(start + i * 40 * 60_000, { stream: i < b.streamed, ttfbMs: i < b.streamed ? b.ttftMs : 490, latencyMs: b.latencyMs }),
  );
}

/** The background plus every pattern, spread over the week from `start`. */
export function plantedLog(start: number): LogRow[] {
  const rows = cleanLog(start);
  const at = (i: number): number => start + HOUR_MS + i * 37 * 60_000;
  for (let i = 0; i < PLANTED.routable.calls; i++) {
    rows.push(
      row({
        ts: at(i),
        requestedModel: 'gpt-4o',
        servedModel: 'gpt-4o',
        promptTokens: 300,
        completionTokens: 100,
        costUsd: cost('gpt-4o', 300, 100),
        latencyMs: PLANTED.routable.latencyMs,
        requestBody: Buffer.from(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `What is the capital of country number ${i}?` }] })),
      }),
    );
  }
  for (let i = 0; i < PLANTED.duplicates.calls; i++) {
    rows.push(mini(start + 2 * DAY_MS + i * 10 * 60_000, { fingerprint: { key: 'ab12cd34ef56ab78cd90', windowMs: DAY_MS } }));
  }
  for (let i = 0; i < PLANTED.rateLimited.calls; i++) {
    rows.push(mini(at(i) + 60_000, { attempts: 2, attemptLog: `openai/gpt-4o-mini[openai#2] 429 rate_limited ${PLANTED.rateLimited.refusedMs}ms > openai/gpt-4o-mini[openai#1] 200 470ms` }));
  }
  for (let i = 0; i < PLANTED.fallbacks.calls; i++) {
    rows.push(mini(at(i) + 90_000, { attempts: 2, attemptLog: 'openai/gpt-4o[openai#1] 503 server_error 20ms > openai/gpt-4o-mini[openai#1] 200 480ms' }));
  }
  for (let i = 0; i < PLANTED.slow.calls; i++) {
    rows.push(row({ ts: at(i) + 120_000, requestedModel: 'gpt-4o', servedModel: 'gpt-4o', promptTokens: 8000, completionTokens: 200, costUsd: cost('gpt-4o', 8000, 200), latencyMs: PLANTED.slow.latencyMs, requestBody: undefined }));
  }
  const long = PLANTED.longUnstreamed;
  for (let i = 0; i < long.calls; i++) {
    rows.push(
      row({ ts: at(i) + 180_000, requestedModel: 'gpt-4o', servedModel: 'gpt-4o', promptTokens: 8000, completionTokens: long.completionTokens, costUsd: cost('gpt-4o', 8000, long.completionTokens), latencyMs: long.latencyMs, requestBody: undefined }),
    );
  }
  return rows;
}

function mini(ts: number, overrides: Partial<LogRow>): LogRow {
  return row({ ts, promptTokens: 300, completionTokens: 100, costUsd: cost('gpt-4o-mini', 300, 100), latencyMs: PLANTED.background.latencyMs, requestBody: undefined, ...overrides });
}
