import type { Db } from './db';
import { addTo, bucketOf, emptyHistogram, fromBlob, toBlob } from './latency-histogram';
import type { LogRow } from './log-row';

export const HOUR_MS = 3_600_000;

/** Running totals for one (hour, model, provider): what a rollup row holds. */
export interface RollupTotals {
  requests: number;
  errors: number;
  costUsd: number;
  unpriced: number;
  estimated: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  latencySumMs: number;
  histogram: Uint32Array;
  cacheLookups: number;
  cacheHits: number;
  semanticHits: number;
  coalesced: number;
  savedUsd: number;
  savedMs: number;
  routed: number;
  routeCostUsd: number;
  routeBaselineUsd: number;
}

export function emptyTotals(): RollupTotals {
  return {
    requests: 0,
    errors: 0,
    costUsd: 0,
    unpriced: 0,
    estimated: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencySumMs: 0,
    histogram: emptyHistogram(),
    cacheLookups: 0,
    cacheHits: 0,
    semanticHits: 0,
    coalesced: 0,
    savedUsd: 0,
    savedMs: 0,
    routed: 0,
    routeCostUsd: 0,
    routeBaselineUsd: 0,
  };
}

/** The fields of a row that rollups count; raw rows at a range's edges are folded the same way. */
export interface RollupInput {
  status: number;
  costUsd: number | null;
  costEstimated: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  latencyMs: number;
  /** The call's cache state (pipeline: off, bypass, miss, hit, coalesced). */
  cache: string;
  savedUsd: number | null;
  savedMs: number | null;
  routeTier: string | null;
  routeBaselineUsd: number | null;
  /** Whether the call was billed at all (an error before any provider answer is not unpriced). */
  billable: boolean;
}

export function addRow(totals: RollupTotals, row: RollupInput): void {
  totals.requests += 1;
  if (row.status >= 400) totals.errors += 1;
  if (row.costUsd !== null) totals.costUsd += row.costUsd;
  else if (row.billable) totals.unpriced += 1;
  if (row.costEstimated) totals.estimated += 1;
  totals.promptTokens += row.promptTokens ?? 0;
  totals.completionTokens += row.completionTokens ?? 0;
  totals.cachedTokens += row.cachedTokens ?? 0;
  totals.reasoningTokens += row.reasoningTokens ?? 0;
  totals.latencySumMs += row.latencyMs;
  totals.histogram[bucketOf(row.latencyMs)]! += 1;
  if (CACHE_LOOKUP_STATES.has(row.cache)) totals.cacheLookups += 1;
  if (row.cache === 'hit') totals.cacheHits += 1;
  else if (row.cache === 'semantic-hit') totals.semanticHits += 1;
  else if (row.cache === 'coalesced') totals.coalesced += 1;
  totals.savedUsd += row.savedUsd ?? 0;
  totals.savedMs += row.savedMs ?? 0;
  if (row.routeTier) {
    totals.routed += 1;
    // Only calls priced both ways enter the comparison, so the two sums stay comparable.
    if (row.costUsd !== null && row.routeBaselineUsd !== null) {
      totals.routeCostUsd += row.costUsd;
      totals.routeBaselineUsd += row.routeBaselineUsd;
    }
  }
}

/** Cache states of calls the cache could have answered (it was on and the call cacheable). */
const CACHE_LOOKUP_STATES = new Set(['miss', 'hit', 'semantic-hit', 'coalesced']);

export function mergeTotals(target: RollupTotals, source: RollupTotals): void {
  target.requests += source.requests;
  target.errors += source.errors;
  target.costUsd += source.costUsd;
  target.unpriced += source.unpriced;
  target.estimated += source.estimated;
  target.promptTokens += source.promptTokens;
  target.completionTokens += source.completionTokens;
  target.cachedTokens += source.cachedTokens;
  target.reasoningTokens += source.reasoningTokens;
  target.latencySumMs += source.latencySumMs;
  addTo(target.histogram, source.histogram);
  target.cacheLookups += source.cacheLookups;
  target.cacheHits += source.cacheHits;
  target.semanticHits += source.semanticHits;
  target.coalesced += source.coalesced;
  target.savedUsd += source.savedUsd;
  target.savedMs += source.savedMs;
  target.routed += source.routed;
  target.routeCostUsd += source.routeCostUsd;
  target.routeBaselineUsd += source.routeBaselineUsd;
}

/** A row counts toward billing when tokens were used (it reached a provider and got usage). */
export function isBillable(row: Pick<LogRow, 'promptTokens' | 'completionTokens'>): boolean {
  return (row.promptTokens ?? 0) + (row.completionTokens ?? 0) > 0;
}

/** Folds a batch of rows into rollup_hourly, one upsert per (hour, model, provider) touched. */
export class RollupWriter {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[number, number, number], { latency_histogram: Buffer }>(
      'SELECT latency_histogram FROM rollup_hourly WHERE hour = ? AND model = ? AND provider = ?',
    );
    this.upsert = db.prepare(`
      INSERT INTO rollup_hourly (hour, model, provider, requests, errors, cost_usd, unpriced, estimated, prompt_tokens,
        completion_tokens, cached_tokens, reasoning_tokens, latency_sum_ms, latency_histogram, cache_lookups, cache_hits, coalesced,
        saved_usd, saved_ms, semantic_hits, routed, route_cost_usd, route_baseline_usd)
      VALUES (@hour, @model, @provider, @requests, @errors, @costUsd, @unpriced, @estimated, @promptTokens,
        @completionTokens, @cachedTokens, @reasoningTokens, @latencySumMs, @histogram, @cacheLookups, @cacheHits, @coalesced,
        @savedUsd, @savedMs, @semanticHits, @routed, @routeCostUsd, @routeBaselineUsd)
      ON CONFLICT (hour, model, provider) DO UPDATE SET
        requests = requests + excluded.requests, errors = errors + excluded.errors,
        cost_usd = cost_usd + excluded.cost_usd, unpriced = unpriced + excluded.unpriced,
        estimated = estimated + excluded.estimated, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
        completion_tokens = completion_tokens + excluded.completion_tokens,
        cached_tokens = cached_tokens + excluded.cached_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
        latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms, latency_histogram = excluded.latency_histogram,
        cache_lookups = cache_lookups + excluded.cache_lookups, cache_hits = cache_hits + excluded.cache_hits,
        coalesced = coalesced + excluded.coalesced, saved_usd = saved_usd + excluded.saved_usd,
        saved_ms = saved_ms + excluded.saved_ms, semantic_hits = semantic_hits + excluded.semantic_hits,
        routed = routed + excluded.routed, route_cost_usd = route_cost_usd + excluded.route_cost_usd,
        route_baseline_usd = route_baseline_usd + excluded.route_baseline_usd`);
  }

  /** Runs inside the writer's transaction. `groups` is keyed by "hour:model:provider" label ids. */
  apply(groups: Map<string, { hour: number; model: number; provider: number; totals: RollupTotals }>): void {
    for (const { hour, model, provider, totals } of groups.values()) {
      const existing = this.select.get(hour, model, provider);
      const histogram = totals.histogram;
      if (existing) addTo(histogram, fromBlob(existing.latency_histogram));
      this.upsert.run({ hour, model, provider, ...totals, histogram: toBlob(histogram) });
    }
  }
}
