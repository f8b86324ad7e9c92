import { hashKey } from '../../shared/message-hash';
import type { RequestDetail, RequestLogEntry, RequestsPage, RequestsQuery } from '../api/contracts';
import type { Db } from './db';
import type { Labels } from './labels';

interface ViewRow {
  seq: number;
  id: string;
  ts: number;
  endpoint: string;
  requested_model: string;
  served_model: string;
  provider: string;
  key_alias: string;
  client_tag: string;
  status: number;
  error_class: string;
  error_message: string | null;
  stream: number;
  latency_ms: number;
  ttfb_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  cost_estimated: number;
  cache: string;
  attempts: number;
  attempt_log: string | null;
  price_source: string;
  usage_source: string;
  saved_usd: number | null;
  saved_ms: number | null;
  answered_by: string | null;
  cache_similarity: number | null;
  route_tier: string;
  route_reason: string | null;
  route_baseline_usd: number | null;
  upstream_endpoint: string;
  job_id: string | null;
  job_mode: 'now' | 'batch' | null;
  job_saved_usd: number | null;
}

/** The job a call ran for, if any (jobs.request_id names the call that answered it). */
const JOB_COLUMNS = 'j.id AS job_id, j.mode AS job_mode, j.saved_usd AS job_saved_usd';

/** Reads the request log for the admin API; every filter runs on an index (ts, model, status). */
export class RequestQueries {
  private readonly byId;
  private readonly bodies;

  constructor(
    private readonly db: Db,
    private readonly labels: Labels,
  ) {
    this.byId = db.prepare<[string], ViewRow>(`SELECT v.*, ${JOB_COLUMNS} FROM requests_view v LEFT JOIN jobs j ON j.request_id = v.id WHERE v.id = ?`);
    this.bodies = db.prepare<[number], { request: Buffer | null; response: Buffer | null; truncated: number }>(
      'SELECT request, response, request_truncated + response_truncated AS truncated FROM bodies WHERE request_seq = ?',
    );
  }

  list(query: RequestsQuery): RequestsPage {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]): void => {
      where.push(clause);
      params.push(...values);
    };
    if (query.since !== undefined) add('r.ts >= ?', query.since);
    if (query.until !== undefined) add('r.ts < ?', query.until);
    if (query.cursor !== undefined) add('r.seq < ?', query.cursor);
    if (query.status === 'ok') add('r.status < 400');
    else if (query.status === 'error') add('r.status >= 400');
    else if (query.status !== undefined) add('r.status = ?', query.status);
    for (const [column, value] of [['provider', query.provider], ['client_tag', query.tag], ['cache', query.cache]] as const) {
      if (value !== undefined) add(`r.${column} = ?`, this.labels.find(value) ?? -1);
    }
    if (query.model !== undefined) {
      const id = this.labels.find(query.model) ?? -1;
      add('(r.requested_model = ? OR r.served_model = ?)', id, id);
    }
    if (query.site !== undefined) {
      // The same match as the call-site figures (callsite-queries.ts): every hash of the site's prompt.
      const hashes = [...new Set(query.site.split(',').map(hashKey))];
      add(`r.seq IN (${hashes.map(() => 'SELECT request_seq FROM message_hashes WHERE hash = ?').join(' INTERSECT ')})`, ...hashes);
    }
    const sql = `SELECT v.*, ${JOB_COLUMNS} FROM requests r JOIN requests_view v ON v.seq = r.seq LEFT JOIN jobs j ON j.request_id = r.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.seq DESC LIMIT ?`;
    const rows = this.db.prepare<(string | number)[], ViewRow>(sql).all(...params, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return {
      requests: page.map(toEntry),
      nextCursor: rows.length > query.limit ? page[page.length - 1]!.seq : null,
    };
  }

  get(id: string): RequestDetail | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    const bodies = this.bodies.get(row.seq);
    return {
      ...toEntry(row),
      requestBody: bodies?.request?.toString('utf8') ?? null,
      responseBody: bodies?.response?.toString('utf8') ?? null,
      bodiesTruncated: (bodies?.truncated ?? 0) > 0,
    };
  }
}

const orNull = (value: string): string | null => (value === '' ? null : value);

function toEntry(row: ViewRow): RequestLogEntry {
  return {
    id: row.id,
    ts: row.ts,
    endpoint: row.endpoint,
    requestedModel: orNull(row.requested_model),
    servedModel: orNull(row.served_model),
    provider: orNull(row.provider),
    keyAlias: orNull(row.key_alias),
    clientTag: orNull(row.client_tag),
    status: row.status,
    errorClass: orNull(row.error_class),
    errorMessage: row.error_message,
    stream: row.stream === 1,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    cachedTokens: row.cached_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    costUsd: row.cost_usd,
    costEstimated: row.cost_estimated === 1,
    cache: row.cache,
    attempts: row.attempts,
    attemptLog: row.attempt_log,
    priceSource: orNull(row.price_source) as RequestLogEntry['priceSource'],
    usageSource: orNull(row.usage_source) as RequestLogEntry['usageSource'],
    savedUsd: row.saved_usd,
    savedMs: row.saved_ms,
    answeredBy: row.answered_by,
    cacheSimilarity: row.cache_similarity,
    routeTier: orNull(row.route_tier) as RequestLogEntry['routeTier'],
    routeReason: row.route_reason,
    routeBaselineUsd: row.route_baseline_usd,
    upstreamEndpoint: orNull(row.upstream_endpoint),
    job: row.job_id === null || row.job_mode === null ? null : { id: row.job_id, mode: row.job_mode, savedUsd: row.job_saved_usd },
  };
}
