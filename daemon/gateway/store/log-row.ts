import type { RequestLogEntry } from '../api/contracts';
import type { CacheWrite } from './cache-store';

/** One finished request as the pipeline hands it to the log: the API entry plus its bodies. */
export interface LogRow extends RequestLogEntry {
  requestBody: Buffer | undefined;
  responseBody: Buffer | undefined;
  requestTruncated: boolean;
  responseTruncated: boolean;
  /** Message texts, hashed into the call-site index when the row is written. */
  promptTexts: readonly string[];
  /** A response to keep in the exact cache, written in the same transaction as the row. */
  cacheWrite: CacheWrite | undefined;
  /**
   * Set while the exact cache is off, for a call it would have kept: the key the call would have
   * had and the cache's TTL, so the log can count repeats the cache would have answered (advisor).
   */
  fingerprint?: { key: string; windowMs: number } | undefined;
}

/** The row as the API shows it: everything but the bodies and what only the writer needs. */
export function toEntry(row: LogRow): RequestLogEntry {
  const {
    requestBody: _request,
    responseBody: _response,
    requestTruncated: _a,
    responseTruncated: _b,
    promptTexts: _texts,
    cacheWrite: _cache,
    fingerprint: _fingerprint,
    ...entry
  } = row;
  return entry;
}

/** Where finished requests go. SQLite today; the pipeline does not care. */
export interface LogSink {
  write(row: LogRow): void;
}
