import type { Db } from './db';
import { addBlob, emptyHistogram } from './latency-histogram';
import { HOUR_MS } from './rollups';

/** One model's figures over the window, from rollup_hourly and rollup_advice. */
export interface ModelFacts {
  model: string;
  provider: string;
  requests: number;
  costUsd: number;
  latencySumMs: number;
  latency: Uint32Array;
  duplicates: number;
  duplicateUsd: number;
  duplicateMs: number;
  streams: number;
  ttftSumMs: number;
  ttft: Uint32Array;
  longUnstreamed: number;
  longUnstreamedMs: number;
}

export interface KeyFacts {
  provider: string;
  key: string;
  attempts: number;
  rateLimited: number;
  rateLimitedMs: number;
}

/** What the advisor knows about a window: rollups only, so its cost does not grow with the log. */
export interface AdviceFacts {
  /** The first whole hour of the window (rollups are hourly) and its end. */
  since: number;
  until: number;
  /** From the window's first logged call to its end. */
  observedMs: number;
  models: ModelFacts[];
  keys: KeyFacts[];
}

interface HourlyRow {
  model: string;
  provider: string;
  requests: number;
  cost_usd: number;
  latency_sum_ms: number;
  latency_histogram: Buffer;
}

interface AdviceRow {
  model: string;
  provider: string;
  duplicates: number;
  duplicate_usd: number;
  duplicate_ms: number;
  streams: number;
  ttft_sum_ms: number;
  ttft_histogram: Buffer;
  long_unstreamed: number;
  long_unstreamed_ms: number;
}

const WITH_LABELS = 'JOIN labels m ON m.id = r.model JOIN labels p ON p.id = r.provider WHERE r.hour >= ? AND r.hour <= ?';

export class AdviceQueries {
  private readonly hourly;
  private readonly advice;
  private readonly keys;
  private readonly firstCall;

  constructor(db: Db) {
    this.hourly = db.prepare<[number, number], HourlyRow>(`
      SELECT m.value AS model, p.value AS provider, r.requests, r.cost_usd, r.latency_sum_ms, r.latency_histogram
      FROM rollup_hourly r ${WITH_LABELS}`);
    this.advice = db.prepare<[number, number], AdviceRow>(`
      SELECT m.value AS model, p.value AS provider, r.duplicates, r.duplicate_usd, r.duplicate_ms, r.streams, r.ttft_sum_ms,
        r.ttft_histogram, r.long_unstreamed, r.long_unstreamed_ms
      FROM rollup_advice r ${WITH_LABELS}`);
    this.keys = db.prepare<[number, number], { provider: string; key: string; attempts: number; rate_limited: number; rate_limited_ms: number }>(`
      SELECT p.value AS provider, k.value AS key, sum(r.attempts) AS attempts, sum(r.rate_limited) AS rate_limited, sum(r.rate_limited_ms) AS rate_limited_ms
      FROM rollup_keys r JOIN labels p ON p.id = r.provider JOIN labels k ON k.id = r.key_alias
      WHERE r.hour >= ? AND r.hour <= ? GROUP BY r.provider, r.key_alias`);
    this.firstCall = db.prepare<[number], { hour: number | null }>('SELECT min(hour) AS hour FROM rollup_hourly WHERE hour >= ?');
  }

  /** The window from the hour containing `since` to `until` (the hour in progress included). */
  facts(since: number, until: number): AdviceFacts {
    const first = Math.floor(since / HOUR_MS);
    const last = Math.floor(until / HOUR_MS);
    const models = new Map<string, ModelFacts>();
    const entry = (model: string, provider: string): ModelFacts => {
      const id = `${provider}/${model}`;
      let facts = models.get(id);
      if (!facts) models.set(id, (facts = emptyFacts(model, provider)));
      return facts;
    };
    for (const row of this.hourly.iterate(first, last)) {
      const facts = entry(row.model, row.provider);
      facts.requests += row.requests;
      facts.costUsd += row.cost_usd;
      facts.latencySumMs += row.latency_sum_ms;
      addBlob(facts.latency, row.latency_histogram);
    }
    for (const row of this.advice.iterate(first, last)) {
      const facts = entry(row.model, row.provider);
      facts.duplicates += row.duplicates;
      facts.duplicateUsd += row.duplicate_usd;
      facts.duplicateMs += row.duplicate_ms;
      facts.streams += row.streams;
      facts.ttftSumMs += row.ttft_sum_ms;
      addBlob(facts.ttft, row.ttft_histogram);
      facts.longUnstreamed += row.long_unstreamed;
      facts.longUnstreamedMs += row.long_unstreamed_ms;
    }
    const firstHour = this.firstCall.get(first)?.hour ?? last;
    return {
      since: first * HOUR_MS,
      until,
      observedMs: Math.max(HOUR_MS, until - firstHour * HOUR_MS),
      models: [...models.values()],
      keys: this.keys.all(first, last).map((row) => ({ provider: row.provider, key: row.key, attempts: row.attempts, rateLimited: row.rate_limited, rateLimitedMs: row.rate_limited_ms })),
    };
  }
}

function emptyFacts(model: string, provider: string): ModelFacts {
  return {
    model,
    provider,
    requests: 0,
    costUsd: 0,
    latencySumMs: 0,
    latency: emptyHistogram(),
    duplicates: 0,
    duplicateUsd: 0,
    duplicateMs: 0,
    streams: 0,
    ttftSumMs: 0,
    ttft: emptyHistogram(),
    longUnstreamed: 0,
    longUnstreamedMs: 0,
  };
}
