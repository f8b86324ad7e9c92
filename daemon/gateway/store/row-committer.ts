import { hashKey, messageHashes } from '../../shared/message-hash';
import { CacheStore, type CacheWrite } from './cache-store';
import type { Db } from './db';
import { Labels } from './labels';
import { SemanticStore } from './semantic-store';
import type { LogRow } from './log-row';
import { isTransient } from './log-failure';
import { addRow, emptyTotals, HOUR_MS, isBillable, RollupWriter, type RollupTotals } from './rollups';
import { AdviceRollupWriter } from './advice-rollups';

/** Entries stored between two evictions: the table exceeds its limit by at most this many. */
const CACHE_TRIM_EVERY = 64;

type RollupGroups = Map<string, { hour: number; model: number; provider: number; totals: RollupTotals }>;

/** A row the database refused for itself (a constraint, say): trying it again would fail forever. */
export interface RejectedRow {
  id: string;
  message: string;
}

/** What a commit did: every row of the batch is in the log but the `rejected` ones. */
export interface Committed {
  rejected: RejectedRow[];
}

/**
 * Writes a batch of finished calls in one transaction: the rows, their bodies, their call-site
 * index entries, any response to cache, and the hourly rollups. Runs on the log writer's own
 * thread (store/log-worker.ts), so none of this costs the request path.
 */
export class RowCommitter {
  private readonly labels: Labels;
  private readonly cache: CacheStore;
  private readonly semantic: SemanticStore;
  /** Starts at the threshold: the first entry after a start trims what the last run left. */
  private cachePutsSinceTrim = CACHE_TRIM_EVERY - 1;
  private readonly insertRow;
  private readonly insertBody;
  private readonly insertHash;
  private readonly rollups: RollupWriter;
  private readonly adviceRollups: AdviceRollupWriter;
  private readonly transaction: (rows: readonly LogRow[], keepBodies: boolean, rejected?: RejectedRow[]) => void;
  /** One row inside the batch's transaction; run nested, better-sqlite3 makes it a savepoint. */
  private readonly savepoint: (row: LogRow, keepBodies: boolean) => number | bigint;

  constructor(db: Db) {
    this.labels = new Labels(db);
    this.cache = new CacheStore(db);
    this.semantic = new SemanticStore(db);
    this.insertRow = db.prepare(`
      INSERT INTO requests (id, ts, endpoint, requested_model, served_model, provider, key_alias, client_tag, status,
        error_class, error_message, stream, latency_ms, ttfb_ms, prompt_tokens, completion_tokens, cached_tokens,
        cache_write_tokens, reasoning_tokens, cost_usd, cost_estimated, cache, attempts, attempt_log, price_source, usage_source,
        saved_usd, saved_ms, answered_by, cache_similarity, route_tier, route_reason, route_baseline_usd, upstream_endpoint)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertBody = db.prepare(
      'INSERT INTO bodies (request_seq, ts, request, response, request_truncated, response_truncated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertHash = db.prepare('INSERT OR IGNORE INTO message_hashes (hash, request_seq) VALUES (?, ?)');
    this.rollups = new RollupWriter(db);
    this.adviceRollups = new AdviceRollupWriter(db, this.labels);
    this.transaction = db.transaction((rows: readonly LogRow[], keepBodies: boolean, rejected?: RejectedRow[]) => this.commitRows(rows, keepBodies, rejected));
    this.savepoint = db.transaction((row: LogRow, keepBodies: boolean) => this.insert(row, keepBodies));
  }

  /**
   * Commits the batch in one transaction, or throws a failure that may pass (disk full, locked,
   * read-only) with the database as it was, so the batch can be tried again. A row the database
   * refuses for itself must not hold back the others: the batch is then committed again with each
   * row under its own savepoint, and that row alone is rejected.
   */
  commit(rows: readonly LogRow[], keepBodies: boolean): Committed {
    try {
      this.transaction(rows, keepBodies);
      return { rejected: [] };
    } catch (error) {
      this.forgetRolledBack();
      if (isTransient(codeOf(error))) throw error;
    }
    const rejected: RejectedRow[] = [];
    try {
      this.transaction(rows, keepBodies, rejected);
    } catch (error) {
      this.forgetRolledBack();
      throw error;
    }
    return { rejected };
  }

  /** Label ids cached during a rolled-back write are gone, and SQLite may hand them to other values. */
  private forgetRolledBack(): void {
    this.labels.forgetCached();
    this.adviceRollups.discard();
  }

  /** With `rejected`, rows are written one savepoint each and the ones the database refuses are listed there. */
  private commitRows(rows: readonly LogRow[], keepBodies: boolean, rejected?: RejectedRow[]): void {
    const groups: RollupGroups = new Map();
    for (const row of rows) {
      if (!rejected) this.insert(row, keepBodies);
      else if (!this.insertOrReject(row, keepBodies, rejected)) continue;
      const model = this.labels.intern(row.servedModel ?? row.requestedModel);
      const provider = this.labels.intern(row.provider);
      foldIntoGroup(groups, row, model, provider);
      this.adviceRollups.fold(row, model, provider);
    }
    this.rollups.apply(groups);
    this.adviceRollups.apply();
  }

  private insertOrReject(row: LogRow, keepBodies: boolean, rejected: RejectedRow[]): boolean {
    try {
      this.savepoint(row, keepBodies);
      return true;
    } catch (error) {
      this.forgetRolledBack();
      if (isTransient(codeOf(error))) throw error;
      rejected.push({ id: row.id, message: (error as Error).message });
      return false;
    }
  }

  private insert(row: LogRow, keepBodies: boolean): number | bigint {
    const labels = this.labels;
    const result = this.insertRow.run(
      row.id, row.ts, labels.intern(row.endpoint), labels.intern(row.requestedModel), labels.intern(row.servedModel),
      labels.intern(row.provider), labels.intern(row.keyAlias), labels.intern(row.clientTag), row.status,
      labels.intern(row.errorClass), row.errorMessage, row.stream ? 1 : 0, row.latencyMs, row.ttfbMs,
      row.promptTokens, row.completionTokens, row.cachedTokens, row.cacheWriteTokens, row.reasoningTokens,
      row.costUsd, row.costEstimated ? 1 : 0, labels.intern(row.cache), row.attempts, row.attemptLog,
      labels.intern(row.priceSource), labels.intern(row.usageSource), row.savedUsd, row.savedMs, row.answeredBy, row.cacheSimilarity,
      labels.intern(row.routeTier), row.routeReason, row.routeBaselineUsd, labels.intern(row.upstreamEndpoint),
    );
    const seq = result.lastInsertRowid;
    if (keepBodies && (row.requestBody || row.responseBody)) {
      this.insertBody.run(seq, row.ts, row.requestBody ?? null, row.responseBody ?? null, row.requestTruncated ? 1 : 0, row.responseTruncated ? 1 : 0);
    }
    this.indexPromptTexts(row.promptTexts, seq);
    if (row.cacheWrite) this.storeInCache(row.cacheWrite);
    return seq;
  }

  /**
   * Stores the entry; every so many, evicts expired entries and the oldest beyond the limit. On
   * this thread, eviction never holds up a request.
   */
  private storeInCache(write: CacheWrite): void {
    this.cache.put(write.entry);
    if (write.semantic) this.semantic.put(write.semantic);
    if (++this.cachePutsSinceTrim < CACHE_TRIM_EVERY) return;
    this.cachePutsSinceTrim = 0;
    this.cache.trim(write.keepAtMost);
  }

  private indexPromptTexts(texts: readonly string[], seq: number | bigint): void {
    for (const text of texts) {
      const { full, head, tail } = messageHashes(text);
      this.insertHash.run(hashKey(full), seq);
      if (head) this.insertHash.run(hashKey(head), seq);
      if (tail) this.insertHash.run(hashKey(tail), seq);
    }
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

function foldIntoGroup(groups: RollupGroups, row: LogRow, model: number, provider: number): void {
  const hour = Math.floor(row.ts / HOUR_MS);
  const key = `${hour}:${model}:${provider}`;
  let group = groups.get(key);
  if (!group) {
    group = { hour, model, provider, totals: emptyTotals() };
    groups.set(key, group);
  }
  addRow(group.totals, { ...row, billable: isBillable(row) });
}
