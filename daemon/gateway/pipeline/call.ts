import { randomBytes } from 'node:crypto';
import type { RequestLogEntry } from '../api/contracts';
import type { ErrorClass } from '../http/errors';
import type { Flight } from '../cache/flights';
import type { SemanticRow } from '../store/semantic-store';
import type { RouteDecision } from '../routing/auto-route';

/** What identifies a price: the price table's provider id, the provider's base URL, the model. */
export interface PricingTarget {
  pricingProvider: string;
  baseUrl: string;
  model: string;
}
import type { PriceResult } from '../../pricing/price';
import type { ResponseFacts } from '../usage/types';
import type { ProxiedBody } from './request-schemas';
import { Cancellation } from '../http/cancellation';

/**
 * Everything the pipeline learns about one call, filled in as it goes and turned into exactly
 * one log row when the response closes (finished, failed, or abandoned by the client).
 */
export interface ProxyCall {
  readonly id: string;
  /** Wall clock at arrival (ms since epoch), for the log. */
  readonly startedAt: number;
  /** Monotonic clock at arrival, for latencies. */
  readonly t0: number;
  readonly endpoint: string;
  readonly clientTag: string | null;
  requestBody: Buffer | undefined;
  body: ProxiedBody | undefined;
  requestedModel: string | null;
  upstreamModel: string | null;
  /** The API the provider was called in: the caller's own, or the one a translation chose. */
  upstreamEndpoint: string | null;
  provider: string | null;
  pricing: { pricingProvider: string; baseUrl: string } | undefined;
  keyAlias: string | null;
  stream: boolean;
  billed: boolean;
  ttfbMs: number | null;
  attempts: number;
  attemptLog: string | null;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  facts: ResponseFacts;
  /** Where `facts.usage` came from, once settled (record.ts settleUsage); null before. */
  usageSource: RequestLogEntry['usageSource'];
  /**
   * The status the log shows when it differs from the HTTP status the client got: a stream
   * that broke after its 200 went out is logged as failed, never as a clean 200.
   */
  loggedStatus: number | undefined;
  /** Set when the cost was computed for a response header, so the log shows the same figure. */
  price: PriceResult | undefined;
  /**
   * Cache outcome: off (disabled), bypass (not cacheable, or the caller said so), miss (asked the
   * provider), hit (a stored answer), coalesced (the answer of an identical call in flight).
   */
  cache: 'off' | 'bypass' | 'miss' | 'hit' | 'semantic-hit' | 'coalesced';
  /** Set when the answer may be stored: a successful response is kept under this key. */
  cacheKey: string | undefined;
  /** While the cache is off: the key this call would have had, had it been on (the advisor counts repeats). */
  fingerprint: string | undefined;
  /** A JSON answer as the provider sent it, kept whole for the cache (call.response is cut for the log). */
  cacheJson: Buffer | undefined;
  /** A streamed answer, kept whole for the cache up to cache.maxEntryBytes. */
  cacheCapture: BodyCapture | undefined;
  /** Set while this call leads identical ones waiting for its answer. */
  flight: Flight | undefined;
  /** For a call answered without the provider: the call whose answer it got, and what that one cost and took. */
  answeredBy: string | null;
  savedFrom: { costUsd: number | null; latencyMs: number } | undefined;
  /** A semantic hit's similarity to the question whose answer it got. */
  cacheSimilarity: number | null;
  /** This call's question for the semantic cache, stored with its answer. */
  semantic: SemanticRow | undefined;
  response: BodyCapture;
  /** Headers every response of this call carries (budget state). */
  extraHeaders: Record<string, string>;
  /** For a call routed by complexity: its tier, why, and the target its savings are measured against. */
  route: (RouteDecision & { baseline: PricingTarget | undefined }) | undefined;
  /** Tears down the upstream request when the client goes away. */
  readonly cancellation: Cancellation;
}

let sequence = 0;
/** Random per process: ids stay unique across restarts and between daemons sharing a database. */
const PROCESS_TAG = randomBytes(4).readUInt32LE(0).toString(36).padStart(7, '0');

/** Sortable by time, unique within a process and across restarts. */
export function newRequestId(now: number): string {
  sequence = (sequence + 1) % 0x1000000;
  return `req_${now.toString(36)}${sequence.toString(36).padStart(5, '0')}${PROCESS_TAG}`;
}

export function startCall(endpoint: string, clientTag: string | null, maxBodyBytes: number): ProxyCall {
  const startedAt = Date.now();
  return {
    id: newRequestId(startedAt),
    startedAt,
    t0: performance.now(),
    endpoint,
    clientTag,
    requestBody: undefined,
    body: undefined,
    requestedModel: null,
    upstreamModel: null,
    upstreamEndpoint: null,
    provider: null,
    pricing: undefined,
    keyAlias: null,
    stream: false,
    billed: false,
    ttfbMs: null,
    attempts: 0,
    attemptLog: null,
    errorClass: null,
    errorMessage: null,
    facts: {},
    usageSource: null,
    loggedStatus: undefined,
    price: undefined,
    cache: 'off',
    cacheKey: undefined,
    fingerprint: undefined,
    cacheJson: undefined,
    cacheCapture: undefined,
    flight: undefined,
    answeredBy: null,
    savedFrom: undefined,
    cacheSimilarity: null,
    semantic: undefined,
    response: new BodyCapture(maxBodyBytes),
    extraHeaders: {},
    route: undefined,
    cancellation: new Cancellation(),
  };
}

/** Keeps the first `limit` bytes of a response for the log (and for counting tokens when usage is missing). */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  bytes(): Buffer | undefined {
    if (this.chunks.length === 0) return undefined;
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
  }
}
