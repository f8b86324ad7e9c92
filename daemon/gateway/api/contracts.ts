import { z } from 'zod';

/**
 * The admin API's contract (GET /tollgate/v1/…, WS /tollgate/v1/live). The gateway validates its
 * query parameters with these schemas; the extension, the CLI, the usage panel and the tests
 * import the types. The panel is a browser bundle, so nothing here may depend on Node; the
 * config endpoints' types, which carry the config schema, are in config-contracts.ts.
 */

export const requestLogEntry = z.object({
  id: z.string(),
  /** Start of the request, ms since the epoch. */
  ts: z.number(),
  endpoint: z.string(),
  requestedModel: z.string().nullable(),
  servedModel: z.string().nullable(),
  provider: z.string().nullable(),
  keyAlias: z.string().nullable(),
  clientTag: z.string().nullable(),
  status: z.number(),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  stream: z.boolean(),
  latencyMs: z.number(),
  ttfbMs: z.number().nullable(),
  promptTokens: z.number().nullable(),
  completionTokens: z.number().nullable(),
  cachedTokens: z.number().nullable(),
  cacheWriteTokens: z.number().nullable(),
  reasoningTokens: z.number().nullable(),
  /** null = price unknown (never logged as $0). */
  costUsd: z.number().nullable(),
  /** Tokens were counted locally because the provider sent no usage. */
  costEstimated: z.boolean(),
  cache: z.string(),
  attempts: z.number(),
  attemptLog: z.string().nullable(),
  /**
   * What identified the price (daemon/pricing/price.ts PriceSource), "unknown" when nothing did
   * though tokens were used; null when nothing was billed (refused, cached, free).
   */
  priceSource: z.enum(['override', 'table', 'base_url', 'model_name', 'unknown']).nullable(),
  /**
   * Where the token counts came from: the provider's usage, a local estimate because it sent
   * none, or a local estimate because its figures were implausible (negative, fractional, or
   * beyond what the request allowed). null when no tokens were used.
   */
  usageSource: z.enum(['provider', 'estimated', 'implausible']).nullable(),
  /**
   * A call answered without the provider (a cache hit, or a call coalesced with an identical one
   * in flight): what the call that answered it cost, and how much sooner this one was answered.
   * null for every other call; savedUsd is null too when that call's price was unknown.
   */
  savedUsd: z.number().nullable(),
  savedMs: z.number().nullable(),
  /** The request id of the call whose answer this one was served. */
  answeredBy: z.string().nullable(),
  /** A semantic hit's cosine similarity to the stored question that answered it. */
  cacheSimilarity: z.number().nullable(),
  /** For a call routed by complexity (model "auto"): its tier and why; else null. */
  routeTier: z.enum(['simple', 'medium', 'complex', 'reasoning']).nullable(),
  routeReason: z.string().nullable(),
  /** What a routed call would have cost on the complex tier's model (null when not routed or not priced). */
  routeBaselineUsd: z.number().nullable(),
  /**
   * The API the provider was called in ("chat", "messages"…); it differs from `endpoint` (the
   * caller's API) when the call was translated. null when no provider was called.
   */
  upstreamEndpoint: z.string().nullable(),
  /**
   * The deferred job this call ran for: its id, how it ran (now, or in a provider batch) and what
   * the batch discount saved. Read from the job queue, so present on logged rows, not live events.
   */
  job: z.object({ id: z.string(), mode: z.enum(['now', 'batch']), savedUsd: z.number().nullable() }).nullable().optional(),
});
export type RequestLogEntry = z.infer<typeof requestLogEntry>;

export const requestDetail = requestLogEntry.extend({
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable(),
  bodiesTruncated: z.boolean(),
  /**
   * The call's tokens at the per-token rates of the price table (overrides applied) as they are
   * now: uncached input, cached input and output. null when the model has no known rates.
   */
  costBreakdown: z.object({ inputUsd: z.number(), cachedInputUsd: z.number(), outputUsd: z.number() }).nullable().optional(),
});
export type RequestDetail = z.infer<typeof requestDetail>;

const timeParam = z.coerce.number().int().nonnegative();

export const requestsQuery = z.strictObject({
  since: timeParam.optional(),
  until: timeParam.optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  tag: z.string().optional(),
  /** An exact status code, or "error" (>= 400) / "ok" (< 400). */
  status: z.union([z.enum(['ok', 'error']), z.coerce.number().int().min(100).max(599)]).optional(),
  /** The call's cache state: off, bypass, miss, hit, semantic-hit or coalesced. */
  cache: z.enum(['off', 'bypass', 'miss', 'hit', 'semantic-hit', 'coalesced']).optional(),
  /**
   * A call site of the editor: the message hashes its prompt has (comma-separated, as the hint
   * server sends them to POST callsites); a call matches when its messages include every one.
   */
  site: z
    .string()
    .regex(/^[0-9a-f]{16}(,[0-9a-f]{16}){0,15}$/, 'site must be 1 to 16 comma-separated message hashes (16 hex digits each)')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Paging: the `nextCursor` of the previous page. */
  cursor: z.coerce.number().int().positive().optional(),
});
export type RequestsQuery = z.infer<typeof requestsQuery>;

export const requestsPage = z.object({
  requests: z.array(requestLogEntry),
  nextCursor: z.number().nullable(),
});
export type RequestsPage = z.infer<typeof requestsPage>;

export const statsQuery = z.strictObject({
  since: timeParam.optional(),
  until: timeParam.optional(),
  bucket: z.enum(['hour', 'day']).default('hour'),
  /** Minutes east of UTC for day buckets, as the caller's clock sees it (e.g. 60 for CET). */
  tzOffsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
  /** "model": also split each bucket's spend and calls by model (byBucketModel), for a stacked chart. */
  split: z.literal('model').optional(),
});
export type StatsQuery = z.infer<typeof statsQuery>;

const MS_PER_UNIT = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s", "15m", "2h", "7d" (a bare number: seconds) → milliseconds; the text is checked by a schema first. */
export function spanMs(text: string): number {
  return Number.parseInt(text, 10) * MS_PER_UNIT[(text.replace(/^\d+/, '') || 's') as keyof typeof MS_PER_UNIT];
}

/**
 * GET /tollgate/v1/stats takes `since` as the CLI does: ms since the epoch, "today" (the caller's
 * local midnight, by tzOffsetMinutes), or a span back from now ("30m", "24h", "7d").
 */
export const statsApiQuery = statsQuery.extend({
  since: z.union([timeParam, z.literal('today'), z.string().regex(/^\d+[smhd]$/, 'since takes ms since the epoch, "today", or a span like 30m, 24h, 7d')]).optional(),
});

/** The start of a stats range in ms, from any of the forms statsApiQuery accepts. */
export function sinceMs(since: number | string, tzOffsetMinutes: number, now = Date.now()): number {
  if (typeof since === 'number') return since;
  if (since === 'today') {
    const local = now + tzOffsetMinutes * 60_000;
    return local - (local % 86_400_000) - tzOffsetMinutes * 60_000;
  }
  return now - spanMs(since);
}

const latencySummary = z.object({ p50: z.number().nullable(), p90: z.number().nullable(), p99: z.number().nullable(), mean: z.number().nullable() });

const aggregate = z.object({
  requests: z.number(),
  errors: z.number(),
  costUsd: z.number(),
  /** Requests whose price is unknown: their cost is not in costUsd. */
  unpricedRequests: z.number(),
  estimatedRequests: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number(),
  reasoningTokens: z.number(),
  latencyMs: latencySummary,
  /**
   * What the cache did: calls that could have been answered from it (`lookups`), those answered
   * from a stored entry (`hits`) or by joining an identical call in flight (`coalesced`), and the
   * dollars and seconds those calls did not spend.
   */
  cache: z.object({ lookups: z.number(), hits: z.number(), semanticHits: z.number(), coalesced: z.number(), savedUsd: z.number(), savedMs: z.number() }),
  /**
   * Calls routed by complexity, what they cost, what they would have cost on the complex tier's
   * model (both over the routed calls priced both ways), and the difference.
   */
  routing: z.object({ routed: z.number(), costUsd: z.number(), baselineUsd: z.number(), savedUsd: z.number() }),
});
export type Aggregate = z.infer<typeof aggregate>;

export const budgetStatus = z.object({
  /** "global", or the alias the budget belongs to. */
  scope: z.string(),
  period: z.enum(['day', 'month']),
  limitUsd: z.number(),
  /** By completed calls. */
  spentUsd: z.number(),
  /** Held by calls in flight (their expected cost) until they complete; counted against the limit. */
  reservedUsd: z.number(),
  remainingUsd: z.number(),
  warning: z.boolean(),
  exceeded: z.boolean(),
  /** Fraction of the limit at which `warning` turns on; what happens at the limit. Absent from older gateways. */
  warnAt: z.number().optional(),
  onLimit: z.enum(['block', 'downgrade']).optional(),
  downgradeTo: z.string().nullable().optional(),
});
export type BudgetStatusEntry = z.infer<typeof budgetStatus>;

/**
 * The request log's state. Every finished call is committed within milliseconds; while the
 * database cannot be written (disk full, read-only, locked) calls are held in memory and retried.
 */
export const logHealth = z.object({
  /** Finished calls not yet committed. */
  pending: z.number(),
  /** Calls that will never be in the log, since the daemon started: the memory bound for held calls was reached, or the database refused the row. */
  dropped: z.number(),
  /** Why calls were dropped (the last reason), when any were. */
  droppedCause: z.string().nullable(),
  /** Calls logged without their bodies because held bodies filled their memory. */
  bodiesDropped: z.number(),
  /** Set while commits fail: the cause in words, since when and when the next try is due (ms since the epoch). */
  failing: z.object({ cause: z.string(), since: z.number(), attempts: z.number(), nextRetryAt: z.number() }).nullable(),
});
export type LogHealth = z.infer<typeof logHealth>;

/** Set on stats that miss calls: finished calls not yet committed, or calls that will never be logged. */
export const statsIncomplete = z.object({
  pending: z.number(),
  dropped: z.number(),
  /** What a reader should know, in words. */
  reason: z.string(),
});
export type StatsIncomplete = z.infer<typeof statsIncomplete>;

export const statsResponse = z.object({
  since: z.number(),
  until: z.number(),
  totals: aggregate,
  byModel: z.array(aggregate.extend({ model: z.string(), provider: z.string() })),
  byBucket: z.array(aggregate.extend({ start: z.number() })),
  /** With split=model: each bucket's spend and calls per model (buckets and models without calls absent). */
  byBucketModel: z.array(z.object({ start: z.number(), model: z.string(), provider: z.string(), costUsd: z.number(), requests: z.number() })).optional(),
  /** Every configured spend limit with its current state (the stats endpoint adds it). */
  budgets: z.array(budgetStatus).optional(),
  /** Present when calls are missing from these figures (the stats endpoint adds it). */
  incomplete: statsIncomplete.optional(),
  /** Deferred jobs finished in the range: what their calls cost, and what batch discounts saved. */
  deferred: z.object({ jobs: z.number(), costUsd: z.number(), savedUsd: z.number() }).optional(),
});
export type StatsResponse = z.infer<typeof statsResponse>;

/** "90" (seconds), "30s", "15m", "2h", "7d" → milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)?$/, 'a duration: seconds, or a number with s, m, h or d (e.g. 2h, 7d)')
  .transform(spanMs);

export const cacheQuery = z.strictObject({
  /** The range the hit rates and savings cover (default: the last 24 hours). */
  since: timeParam.optional(),
});

export const cacheDeleteQuery = z.strictObject({
  /** Only entries for this upstream model. */
  model: z.string().min(1).optional(),
  /** Only entries stored longer ago than this. */
  olderThan: duration.optional(),
});

export const cacheResponse = z.object({
  enabled: z.boolean(),
  entries: z.number(),
  bytes: z.number(),
  memoryEntries: z.number(),
  memoryBytes: z.number(),
  oldest: z.number().nullable(),
  newest: z.number().nullable(),
  /** Cacheable calls on their way to the provider now, with identical ones possibly waiting on them. */
  inFlight: z.number(),
  /** Questions of the semantic cache held in memory (scopes asked about since the start). */
  semanticQuestions: z.number(),
  since: z.number(),
  /** Over the range: the stats' cache block, and hits and coalesced calls as a share of lookups. */
  usage: aggregate.shape.cache.extend({ hitRate: z.number().nullable(), semanticHitRate: z.number().nullable(), coalescedRate: z.number().nullable() }),
});
export type CacheResponse = z.infer<typeof cacheResponse>;

/** GET /tollgate/v1/routing/models: models the configured providers offer, with their prices, for mapping tiers. */
export const routingModelsResponse = z.object({
  models: z.array(z.object({ target: z.string(), inputPerMillionUsd: z.number().nullable(), outputPerMillionUsd: z.number().nullable() })),
  tiers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});
export type RoutingModelsResponse = z.infer<typeof routingModelsResponse>;

export const whatIfQuery = z.strictObject({
  /** Start of the window: ms since the epoch, or a span back from now ("7d", "24h"). Default 7 days. */
  since: z.union([timeParam.transform((at) => ({ at })), duration.transform((spanMs) => ({ spanMs }))]).optional(),
});

const whatIfTotals = z.object({
  calls: z.number(),
  /** Calls whose routed target differs from the model that served them. */
  moved: z.number(),
  byTier: z.object({ simple: z.number(), medium: z.number(), complex: z.number(), reasoning: z.number() }),
  /** Over calls priced both ways: what they cost, what they would cost routed, and routed minus actual. */
  costUsd: z.number(),
  routedCostUsd: z.number(),
  differenceUsd: z.number(),
  /** Calls left out of the cost figures: no known price then or under routing. */
  unpriced: z.number(),
});

export const whatIfResponse = z.object({
  since: z.number(),
  until: z.number(),
  /** Calls whose body was not kept: routed by their logged token count alone. */
  withoutBody: z.number(),
  totals: whatIfTotals,
  byModel: z.array(whatIfTotals.extend({ model: z.string() })),
});
export type WhatIfResponse = z.infer<typeof whatIfResponse>;

export const healthResponse = z.object({
  ok: z.literal(true),
  version: z.string(),
  pid: z.number(),
  port: z.number(),
  uptimeS: z.number(),
  dataDir: z.string(),
  configPath: z.string(),
  providers: z.array(z.object({ id: z.string(), type: z.string(), keys: z.number() })),
  warnings: z.array(z.string()),
  /** The last change of the config file on disk and what came of it; null until one happens. */
  lastReload: z.object({ at: z.number(), ok: z.boolean(), message: z.string() }).nullable(),
  /** Same as log.pending (kept for older clients). */
  pendingLogWrites: z.number(),
  log: logHealth,
  memoryMb: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number(), external: z.number() }),
});
export type HealthResponse = z.infer<typeof healthResponse>;

export const liveEvent = z.object({ type: z.literal('request'), request: requestLogEntry });
export type LiveEvent = z.infer<typeof liveEvent>;

/**
 * POST /tollgate/v1/callsites: measured figures per call site in the code. A site matches a
 * logged request when every hash it lists is among that request's message hashes
 * (daemon/shared/message-hash.ts), or, when it gives a tag, when the request carried that
 * x-tollgate-tag. Answered from an index, never by scanning bodies.
 */
export const callSitesQuery = z.strictObject({
  since: z.number().int().nonnegative().optional(),
  sites: z
    .array(
      z.strictObject({
        id: z.string(),
        hashes: z.array(z.string().regex(/^[0-9a-f]{16}$/)).max(64).default([]),
        tag: z.string().optional(),
      }),
    )
    .max(500),
});
export type CallSitesQuery = z.input<typeof callSitesQuery>;

export const callSiteFigures = z.object({
  id: z.string(),
  calls: z.number(),
  errors: z.number(),
  costUsd: z.number(),
  p50LatencyMs: z.number().nullable(),
  lastTs: z.number().nullable(),
  /** Mean completion tokens of the answered calls (null: none answered); absent from older gateways. */
  avgOutputTokens: z.number().nullable().optional(),
});
export type CallSiteFigures = z.infer<typeof callSiteFigures>;

export const callSitesResponse = z.object({ since: z.number(), sites: z.array(callSiteFigures) });
export type CallSitesResponse = z.infer<typeof callSitesResponse>;

/** GET /tollgate/v1/route?model=NAME: where the gateway would send a call for this model. */
export const routeResponse = z.object({
  model: z.string(),
  alias: z.string().nullable(),
  targets: z.array(z.object({ provider: z.string(), model: z.string() })),
  error: z.string().nullable(),
});
export type RouteResponse = z.infer<typeof routeResponse>;

/** PUT /tollgate/v1/keys/:provider — keys held in memory only (from VS Code SecretStorage). */
export const pushKeysBody = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        alias: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
        // A key travels in an HTTP header: printable ASCII, else every call with it would fail upstream.
        value: z.string().regex(/^[\x21-\x7e]+$/, 'a key is printable ASCII without spaces'),
      }),
    )
    .max(32),
});
export type PushKeysBody = z.infer<typeof pushKeysBody>;

/** GET|PUT|DELETE /tollgate/v1/keys[/:provider]: which keys each provider holds; never the keys themselves. */
export interface KeysResponse {
  providers: { provider: string; keys: { alias: string; source: 'config' | 'pushed' }[] }[];
}
