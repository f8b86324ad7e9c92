import type { Db } from './db';

/** A logged call as the what-if report replays it. */
export interface ReplayableCall {
  endpoint: string;
  tag: string;
  provider: string;
  servedModel: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number | null;
  /** The request body when it was kept whole; undefined when not kept or cut. */
  requestBody: Buffer | undefined;
}

interface Row {
  ts: number;
  endpoint: string;
  tag: string;
  provider: string;
  served_model: string;
  prompt_tokens: number;
  completion_tokens: number | null;
  cached_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  request: Buffer | null;
  request_truncated: number | null;
}

/**
 * The calls a routing what-if replays: successful chat, Messages and Responses calls of the
 * window that reached a provider (cache hits cost nothing and are left out), with their bodies
 * where kept.
 */
export class WhatIfQueries {
  private readonly select;
  private readonly newest;

  constructor(db: Db) {
    this.select = db.prepare<[number, number], Row>(REPLAYABLE);
    // Newest first through the ts index: the advisor's sample stops after `limit` rows however long the window.
    this.newest = db.prepare<[number, number, number], Row>(`${REPLAYABLE} ORDER BY r.ts DESC LIMIT ?`);
  }

  *calls(since: number, until: number): Iterable<ReplayableCall> {
    for (const row of this.select.iterate(since, until)) yield toCall(row);
  }

  /** The window's newest replayable calls, at most `limit`, with the time of each. */
  latest(since: number, until: number, limit: number): (ReplayableCall & { ts: number })[] {
    return this.newest.all(since, until, limit).map((row) => ({ ...toCall(row), ts: row.ts }));
  }
}

const REPLAYABLE = `
      SELECT r.ts, e.value AS endpoint, t.value AS tag, p.value AS provider,
        CASE WHEN r.served_model != 0 THEN sm.value ELSE rm.value END AS served_model,
        r.prompt_tokens, r.completion_tokens, r.cached_tokens, r.cache_write_tokens, r.reasoning_tokens, r.cost_usd,
        b.request, b.request_truncated
      FROM requests r
      JOIN labels e ON e.id = r.endpoint JOIN labels t ON t.id = r.client_tag JOIN labels p ON p.id = r.provider
      JOIN labels sm ON sm.id = r.served_model JOIN labels rm ON rm.id = r.requested_model JOIN labels c ON c.id = r.cache
      LEFT JOIN bodies b ON b.request_seq = r.seq
      WHERE r.ts >= ? AND r.ts < ? AND r.status < 400 AND r.prompt_tokens IS NOT NULL
        AND e.value IN ('chat', 'messages', 'responses') AND c.value NOT IN ('hit', 'semantic-hit', 'coalesced')`;

function toCall(row: Row): ReplayableCall {
  return {
    endpoint: row.endpoint,
    tag: row.tag,
    provider: row.provider,
    servedModel: row.served_model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens ?? 0,
    cachedTokens: row.cached_tokens ?? 0,
    cacheWriteTokens: row.cache_write_tokens ?? 0,
    reasoningTokens: row.reasoning_tokens ?? 0,
    costUsd: row.cost_usd,
    requestBody: row.request && row.request_truncated === 0 ? row.request : undefined,
  };
}
