import { EventEmitter } from 'node:events';
import type { RequestLogEntry } from '../api/contracts';
import type { Db } from './db';
import { hashKey, messageHashes } from '../../shared/message-hash';
import type { CacheStore } from './cache-store';
import type { Labels } from './labels';
import type { LogRow, LogSink } from './log-row';
import { addRow, emptyTotals, HOUR_MS, isBillable, RollupWriter, type RollupTotals } from './rollups';

/** How long a finished request may wait before it is committed; bounds what a crash can lose. */
const FLUSH_DELAY_MS = 20;
/** A burst this large is committed at once rather than waiting for the timer. */
const FLUSH_BATCH = 512;

/**
 * Takes finished requests off the request path: write() only queues; a timer commits the queue
 * in one transaction (rows, bodies, rollups), then announces the rows to live listeners.
 * close() commits whatever is left, so a graceful stop loses nothing.
 */
export class LogWriter extends EventEmitter<{ committed: [RequestLogEntry[]]; error: [Error] }> implements LogSink {
  private queue: LogRow[] = [];
  private readonly retried = new WeakSet<LogRow>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly insertRow;
  private readonly insertBody;
  private readonly insertHash;
  private readonly rollups: RollupWriter;
  private readonly commit: (rows: LogRow[]) => void;

  constructor(
    private readonly db: Db,
    private readonly labels: Labels,
    private readonly cache: CacheStore,
    private readonly storeBodies: () => boolean,
  ) {
    super();
    this.insertRow = db.prepare(`
      INSERT INTO requests (id, ts, endpoint, requested_model, served_model, provider, key_alias, client_tag, status,
        error_class, error_message, stream, latency_ms, ttfb_ms, prompt_tokens, completion_tokens, cached_tokens,
        cache_write_tokens, reasoning_tokens, cost_usd, cost_estimated, cache, attempts, attempt_log)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertBody = db.prepare(
      'INSERT INTO bodies (request_seq, ts, request, response, request_truncated, response_truncated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertHash = db.prepare('INSERT OR IGNORE INTO message_hashes (hash, request_seq) VALUES (?, ?)');
    this.rollups = new RollupWriter(db);
    this.commit = db.transaction((rows: LogRow[]) => this.commitRows(rows));
  }

  get pending(): number {
    return this.queue.length;
  }

  write(row: LogRow): void {
    this.queue.push(row);
    if (this.queue.length >= FLUSH_BATCH) {
      this.immediate ??= setImmediate(() => this.flush());
    } else {
      this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.queue.length === 0) return;
    const rows = this.queue;
    this.queue = [];
    try {
      this.commit(rows);
    } catch (error) {
      // A failed commit must not take the gateway down; the error is reported and the rows are
      // retried once, so that a transient SQLITE_BUSY (another process holding the file) loses nothing.
      this.emit('error', error as Error);
      const retry = rows.filter((row) => !this.retried.has(row));
      for (const row of retry) this.retried.add(row);
      this.queue.unshift(...retry);
      if (this.queue.length > 0) this.timer ??= setTimeout(() => this.flush(), 250);
      return;
    }
    this.emit('committed', rows.map(toEntry));
  }

  close(): void {
    this.flush();
  }

  private commitRows(rows: LogRow[]): void {
    const labels = this.labels;
    const keepBodies = this.storeBodies();
    const groups = new Map<string, { hour: number; model: number; provider: number; totals: RollupTotals }>();
    for (const row of rows) {
      const result = this.insertRow.run(
        row.id, row.ts, labels.intern(row.endpoint), labels.intern(row.requestedModel), labels.intern(row.servedModel),
        labels.intern(row.provider), labels.intern(row.keyAlias), labels.intern(row.clientTag), row.status,
        labels.intern(row.errorClass), row.errorMessage, row.stream ? 1 : 0, row.latencyMs, row.ttfbMs,
        row.promptTokens, row.completionTokens, row.cachedTokens, row.cacheWriteTokens, row.reasoningTokens,
        row.costUsd, row.costEstimated ? 1 : 0, labels.intern(row.cache), row.attempts, row.attemptLog,
      );
      const seq = result.lastInsertRowid;
      if (keepBodies && (row.requestBody || row.responseBody)) {
        this.insertBody.run(
          seq, row.ts, row.requestBody ?? null, row.responseBody ?? null,
          row.requestTruncated ? 1 : 0, row.responseTruncated ? 1 : 0,
        );
      }
      this.indexPromptTexts(row.promptTexts, seq);
      if (row.cacheEntry) this.cache.put(row.cacheEntry);
      foldIntoGroup(groups, row, labels.intern(row.servedModel ?? row.requestedModel), labels.intern(row.provider));
    }
    this.rollups.apply(groups);
  }

  /** Hashing happens here, in the batched commit, so it costs the request path nothing. */
  private indexPromptTexts(texts: readonly string[], seq: number | bigint): void {
    for (const text of texts) {
      const { full, head, tail } = messageHashes(text);
      this.insertHash.run(hashKey(full), seq);
      if (head) this.insertHash.run(hashKey(head), seq);
      if (tail) this.insertHash.run(hashKey(tail), seq);
    }
  }
}

function foldIntoGroup(
  groups: Map<string, { hour: number; model: number; provider: number; totals: RollupTotals }>,
  row: LogRow,
  model: number,
  provider: number,
): void {
  const hour = Math.floor(row.ts / HOUR_MS);
  const key = `${hour}:${model}:${provider}`;
  let group = groups.get(key);
  if (!group) {
    group = { hour, model, provider, totals: emptyTotals() };
    groups.set(key, group);
  }
  addRow(group.totals, { ...row, billable: isBillable(row) });
}

/** The row as the API shows it: everything but the bodies. */
function toEntry(row: LogRow): RequestLogEntry {
  const {
    requestBody: _request,
    responseBody: _response,
    requestTruncated: _a,
    responseTruncated: _b,
    promptTexts: _texts,
    cacheEntry: _cache,
    ...entry
  } = row;
  return entry;
}
