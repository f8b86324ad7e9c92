import type { Db } from './db';
import { addTo, bucketOf, emptyHistogram, fromBlob, toBlob } from './latency-histogram';
import type { Labels } from './labels';
import type { LogRow } from './log-row';
import { attemptsOf } from './attempt-log';
import { HOUR_MS } from './rollups';

/** An answer this long (output tokens) keeps its caller waiting long enough that streaming it pays. */
export const LONG_ANSWER_TOKENS = 500;

/** What the advisor counts per (hour, model, provider), beside rollup_hourly. */
export interface AdviceTotals {
  duplicates: number;
  duplicateUsd: number;
  duplicateMs: number;
  streams: number;
  ttftSumMs: number;
  ttftHistogram: Uint32Array;
  longUnstreamed: number;
  longUnstreamedMs: number;
  /** Calls that met a 429 on any attempt (or were refused with one), and calls a fallback target served. */
  rateLimited: number;
  fallbacks: number;
}

interface KeyTotals {
  attempts: number;
  rateLimited: number;
  rateLimitedMs: number;
}

const emptyAdvice = (): AdviceTotals => ({
  duplicates: 0,
  duplicateUsd: 0,
  duplicateMs: 0,
  streams: 0,
  ttftSumMs: 0,
  ttftHistogram: emptyHistogram(),
  longUnstreamed: 0,
  longUnstreamedMs: 0,
  rateLimited: 0,
  fallbacks: 0,
});

/**
 * Folds each committed row into the advisor's rollups, inside the committer's transaction. A
 * successful call with a fingerprint (pipeline: the exact-cache key it would have had, taken while
 * the cache was off) is a duplicate when the same fingerprint succeeded within the cache's TTL
 * before it: the exact cache, had it been on, would have answered it.
 */
export class AdviceRollupWriter {
  private readonly findPrint;
  private readonly putPrint;
  private readonly selectAdvice;
  private readonly upsertAdvice;
  private readonly upsertKey;
  private advice = new Map<string, { hour: number; model: number; provider: number; totals: AdviceTotals }>();
  private keys = new Map<string, { hour: number; provider: number; key: number; totals: KeyTotals }>();

  constructor(
    db: Db,
    private readonly labels: Labels,
  ) {
    this.findPrint = db.prepare<[number], { ts: number }>('SELECT ts FROM request_fingerprints WHERE key = ?');
    this.putPrint = db.prepare('INSERT INTO request_fingerprints (key, ts) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET ts = max(ts, excluded.ts)');
    this.selectAdvice = db.prepare<[number, number, number], { ttft_histogram: Buffer }>('SELECT ttft_histogram FROM rollup_advice WHERE hour = ? AND model = ? AND provider = ?');
    this.upsertAdvice = db.prepare(`
      INSERT INTO rollup_advice (hour, model, provider, duplicates, duplicate_usd, duplicate_ms, streams, ttft_sum_ms, ttft_histogram, long_unstreamed, long_unstreamed_ms,
        rate_limited, fallbacks)
      VALUES (@hour, @model, @provider, @duplicates, @duplicateUsd, @duplicateMs, @streams, @ttftSumMs, @histogram, @longUnstreamed, @longUnstreamedMs,
        @rateLimited, @fallbacks)
      ON CONFLICT (hour, model, provider) DO UPDATE SET
        duplicates = duplicates + excluded.duplicates, duplicate_usd = duplicate_usd + excluded.duplicate_usd,
        duplicate_ms = duplicate_ms + excluded.duplicate_ms, streams = streams + excluded.streams,
        ttft_sum_ms = ttft_sum_ms + excluded.ttft_sum_ms, ttft_histogram = excluded.ttft_histogram,
        long_unstreamed = long_unstreamed + excluded.long_unstreamed, long_unstreamed_ms = long_unstreamed_ms + excluded.long_unstreamed_ms,
        rate_limited = rate_limited + excluded.rate_limited, fallbacks = fallbacks + excluded.fallbacks`);
    this.upsertKey = db.prepare(`
      INSERT INTO rollup_keys (hour, provider, key_alias, attempts, rate_limited, rate_limited_ms) VALUES (@hour, @provider, @key, @attempts, @rateLimited, @rateLimitedMs)
      ON CONFLICT (hour, provider, key_alias) DO UPDATE SET attempts = attempts + excluded.attempts,
        rate_limited = rate_limited + excluded.rate_limited, rate_limited_ms = rate_limited_ms + excluded.rate_limited_ms`);
  }

  /** Counts one row (already inserted); `model` and `provider` are the label ids rollup_hourly uses. */
  fold(row: LogRow, model: number, provider: number): void {
    const hour = Math.floor(row.ts / HOUR_MS);
    const ok = row.status < 400;
    const totals = this.adviceGroup(hour, model, provider);
    if (ok && row.fingerprint) {
      const key = parseInt(row.fingerprint.key.slice(0, 13), 16);
      const seen = this.findPrint.get(key)?.ts;
      if (seen !== undefined && seen <= row.ts && row.ts - seen <= row.fingerprint.windowMs) {
        totals.duplicates += 1;
        totals.duplicateUsd += row.costUsd ?? 0;
        totals.duplicateMs += row.latencyMs;
      }
      this.putPrint.run(key, row.ts);
    }
    if (ok && row.stream && row.ttfbMs !== null) {
      totals.streams += 1;
      totals.ttftSumMs += row.ttfbMs;
      totals.ttftHistogram[bucketOf(row.ttfbMs)]! += 1;
    }
    if (ok && !row.stream && (row.completionTokens ?? 0) >= LONG_ANSWER_TOKENS && row.attempts > 0) {
      totals.longUnstreamed += 1;
      totals.longUnstreamedMs += row.latencyMs;
    }
    const attempts = attemptsOf(row);
    if (attempts.some((attempt) => attempt.status === 429)) totals.rateLimited += 1;
    if (ok && attempts.length > 1 && attempts.at(-1)!.target !== attempts[0]!.target) totals.fallbacks += 1;
    for (const attempt of attempts) {
      const keyTotals = this.keyGroup(hour, this.labels.intern(attempt.provider), this.labels.intern(attempt.key));
      keyTotals.attempts += 1;
      if (attempt.status === 429) {
        keyTotals.rateLimited += 1;
        keyTotals.rateLimitedMs += attempt.ms;
      }
    }
  }

  /** Writes what the batch's rows added; called once per transaction, after every fold. */
  apply(): void {
    for (const { hour, model, provider, totals } of this.advice.values()) {
      const existing = this.selectAdvice.get(hour, model, provider);
      if (existing) addTo(totals.ttftHistogram, fromBlob(existing.ttft_histogram));
      this.upsertAdvice.run({ hour, model, provider, ...totals, histogram: toBlob(totals.ttftHistogram) });
    }
    for (const { hour, provider, key, totals } of this.keys.values()) this.upsertKey.run({ hour, provider, key, ...totals });
    this.discard();
  }

  /** Forgets what was folded: after apply(), or when the transaction rolled back. */
  discard(): void {
    this.advice = new Map();
    this.keys = new Map();
  }

  private adviceGroup(hour: number, model: number, provider: number): AdviceTotals {
    const id = `${hour}:${model}:${provider}`;
    let group = this.advice.get(id);
    if (!group) this.advice.set(id, (group = { hour, model, provider, totals: emptyAdvice() }));
    return group.totals;
  }

  private keyGroup(hour: number, provider: number, key: number): KeyTotals {
    const id = `${hour}:${provider}:${key}`;
    let group = this.keys.get(id);
    if (!group) this.keys.set(id, (group = { hour, provider, key, totals: { attempts: 0, rateLimited: 0, rateLimitedMs: 0 } }));
    return group.totals;
  }
}
