import type { Aggregate, StatsQuery, StatsResponse } from '../api/contracts';
import type { Db } from './db';
import { fromBlob, percentile } from './latency-histogram';
import { addRow, emptyTotals, HOUR_MS, mergeTotals, type RollupTotals } from './rollups';

const DAY_MS = 24 * HOUR_MS;

interface RollupRow {
  hour: number;
  model: string;
  provider: string;
  requests: number;
  errors: number;
  cost_usd: number;
  unpriced: number;
  estimated: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  latency_sum_ms: number;
  latency_histogram: Buffer;
  cache_lookups: number;
  cache_hits: number;
  semantic_hits: number;
  coalesced: number;
  saved_usd: number;
  saved_ms: number;
  routed: number;
  route_cost_usd: number;
  route_baseline_usd: number;
}

interface EdgeRow {
  ts: number;
  model: string;
  provider: string;
  status: number;
  cost_usd: number | null;
  cost_estimated: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  latency_ms: number;
  cache: string;
  saved_usd: number | null;
  saved_ms: number | null;
  route_tier: string;
  route_baseline_usd: number | null;
}

/**
 * Spend, counts and latency for a time range. Whole hours come from rollup_hourly; only the
 * partial hours at the two ends are read from the request log (through its ts index), so the
 * totals are exact for any range and the cost of a query does not grow with the log.
 */
export class StatsQueries {
  private readonly rollups;
  private readonly edges;

  constructor(db: Db) {
    this.rollups = db.prepare<[number, number], RollupRow>(`
      SELECT r.*, m.value AS model, p.value AS provider FROM rollup_hourly r
      JOIN labels m ON m.id = r.model JOIN labels p ON p.id = r.provider
      WHERE r.hour >= ? AND r.hour < ?`);
    this.edges = db.prepare<[number, number], EdgeRow>(`
      SELECT r.ts, CASE WHEN r.served_model != 0 THEN sm.value ELSE rm.value END AS model, p.value AS provider,
        r.status, r.cost_usd, r.cost_estimated, r.prompt_tokens, r.completion_tokens, r.cached_tokens,
        r.reasoning_tokens, r.latency_ms, c.value AS cache, r.saved_usd, r.saved_ms,
        rt.value AS route_tier, r.route_baseline_usd
      FROM requests r JOIN labels sm ON sm.id = r.served_model JOIN labels rm ON rm.id = r.requested_model
      JOIN labels p ON p.id = r.provider JOIN labels c ON c.id = r.cache JOIN labels rt ON rt.id = r.route_tier
      WHERE r.ts >= ? AND r.ts < ?`);
  }

  query(query: StatsQuery, now = Date.now()): StatsResponse {
    const until = query.until ?? now;
    const since = query.since ?? until - DAY_MS;
    const accumulator = new StatsAccumulator(query);
    const firstWholeHour = Math.ceil(since / HOUR_MS);
    const endWholeHour = Math.floor(until / HOUR_MS);
    if (firstWholeHour < endWholeHour) {
      for (const row of this.rollups.all(firstWholeHour, endWholeHour)) accumulator.addRollup(row);
      this.addEdge(accumulator, since, firstWholeHour * HOUR_MS);
      this.addEdge(accumulator, endWholeHour * HOUR_MS, until);
    } else {
      this.addEdge(accumulator, since, until);
    }
    return accumulator.result(since, until);
  }

  private addEdge(accumulator: StatsAccumulator, from: number, to: number): void {
    if (from >= to) return;
    for (const row of this.edges.iterate(from, to)) accumulator.addEdgeRow(row);
  }
}

class StatsAccumulator {
  private readonly totals = emptyTotals();
  private readonly byModel = new Map<string, { model: string; provider: string; totals: RollupTotals }>();
  private readonly byBucket = new Map<number, RollupTotals>();
  /** With split=model only: "start|provider/model" → that model's spend and calls in that bucket. */
  private readonly byBucketModel: Map<string, { start: number; model: string; provider: string; costUsd: number; requests: number }> | undefined;
  private readonly bucketMs: number;
  private readonly offsetMs: number;

  constructor(query: StatsQuery) {
    this.bucketMs = query.bucket === 'day' ? DAY_MS : HOUR_MS;
    this.offsetMs = query.tzOffsetMinutes * 60_000;
    this.byBucketModel = query.split === 'model' ? new Map() : undefined;
  }

  addRollup(row: RollupRow): void {
    const totals: RollupTotals = {
      requests: row.requests,
      errors: row.errors,
      costUsd: row.cost_usd,
      unpriced: row.unpriced,
      estimated: row.estimated,
      promptTokens: row.prompt_tokens,
      completionTokens: row.completion_tokens,
      cachedTokens: row.cached_tokens,
      reasoningTokens: row.reasoning_tokens,
      latencySumMs: row.latency_sum_ms,
      histogram: fromBlob(row.latency_histogram),
      cacheLookups: row.cache_lookups,
      cacheHits: row.cache_hits,
      semanticHits: row.semantic_hits,
      coalesced: row.coalesced,
      savedUsd: row.saved_usd,
      savedMs: row.saved_ms,
      routed: row.routed,
      routeCostUsd: row.route_cost_usd,
      routeBaselineUsd: row.route_baseline_usd,
    };
    this.fold(row.hour * HOUR_MS, row.model, row.provider, totals);
  }

  addEdgeRow(row: EdgeRow): void {
    const totals = emptyTotals();
    addRow(totals, {
      status: row.status,
      costUsd: row.cost_usd,
      costEstimated: row.cost_estimated === 1,
      promptTokens: row.prompt_tokens,
      completionTokens: row.completion_tokens,
      cachedTokens: row.cached_tokens,
      reasoningTokens: row.reasoning_tokens,
      latencyMs: row.latency_ms,
      cache: row.cache,
      savedUsd: row.saved_usd,
      savedMs: row.saved_ms,
      routeTier: row.route_tier === '' ? null : row.route_tier,
      routeBaselineUsd: row.route_baseline_usd,
      billable: (row.prompt_tokens ?? 0) + (row.completion_tokens ?? 0) > 0,
    });
    this.fold(row.ts, row.model, row.provider, totals);
  }

  result(since: number, until: number): StatsResponse {
    return {
      since,
      until,
      totals: toAggregate(this.totals),
      byModel: [...this.byModel.values()]
        .map(({ model, provider, totals }) => ({ model, provider, ...toAggregate(totals) }))
        .sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests),
      byBucket: [...this.byBucket.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, totals]) => ({ start, ...toAggregate(totals) })),
      ...(this.byBucketModel && { byBucketModel: [...this.byBucketModel.values()].sort((a, b) => a.start - b.start || b.costUsd - a.costUsd) }),
    };
  }

  private fold(ts: number, model: string, provider: string, totals: RollupTotals): void {
    mergeTotals(this.totals, totals);
    const modelKey = `${provider}/${model}`;
    let modelEntry = this.byModel.get(modelKey);
    if (!modelEntry) {
      modelEntry = { model, provider, totals: emptyTotals() };
      this.byModel.set(modelKey, modelEntry);
    }
    mergeTotals(modelEntry.totals, totals);
    // Day buckets start at the caller's local midnight.
    const start = Math.floor((ts + this.offsetMs) / this.bucketMs) * this.bucketMs - this.offsetMs;
    let bucket = this.byBucket.get(start);
    if (!bucket) {
      bucket = emptyTotals();
      this.byBucket.set(start, bucket);
    }
    mergeTotals(bucket, totals);
    if (this.byBucketModel) {
      const key = `${start}|${modelKey}`;
      const entry = this.byBucketModel.get(key) ?? { start, model, provider, costUsd: 0, requests: 0 };
      entry.costUsd += totals.costUsd;
      entry.requests += totals.requests;
      this.byBucketModel.set(key, entry);
    }
  }
}

function toAggregate(totals: RollupTotals): Aggregate {
  return {
    requests: totals.requests,
    errors: totals.errors,
    costUsd: totals.costUsd,
    unpricedRequests: totals.unpriced,
    estimatedRequests: totals.estimated,
    promptTokens: totals.promptTokens,
    completionTokens: totals.completionTokens,
    cachedTokens: totals.cachedTokens,
    reasoningTokens: totals.reasoningTokens,
    latencyMs: {
      p50: percentile(totals.histogram, 0.5),
      p90: percentile(totals.histogram, 0.9),
      p99: percentile(totals.histogram, 0.99),
      mean: totals.requests ? totals.latencySumMs / totals.requests : null,
    },
    routing: { routed: totals.routed, costUsd: totals.routeCostUsd, baselineUsd: totals.routeBaselineUsd, savedUsd: totals.routeBaselineUsd - totals.routeCostUsd },
    cache: { lookups: totals.cacheLookups, hits: totals.cacheHits, semanticHits: totals.semanticHits, coalesced: totals.coalesced, savedUsd: totals.savedUsd, savedMs: totals.savedMs },
  };
}
