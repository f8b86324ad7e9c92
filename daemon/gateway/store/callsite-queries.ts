import type { CallSiteFigures, CallSitesResponse } from '../api/contracts';
import type { Db } from './db';
import type { Labels } from './labels';
import { hashKey } from '../../shared/message-hash';

interface MatchRow {
  latency_ms: number;
  cost_usd: number | null;
  status: number;
  ts: number;
  completion_tokens: number | null;
}

/** Enough to find a site's calls without letting one request scan a whole day of a busy log. */
const MAX_ROWS_PER_SITE = 20_000;

/**
 * "Calls from this site" for the hint server's CodeLens: requests whose message hashes include
 * every hash the site lists (an INTERSECT over the message_hashes primary key), or that carried
 * the site's x-tollgate-tag (the client_tag index). Never a scan of bodies.
 */
export class CallSiteQueries {
  private readonly byTag;

  constructor(
    private readonly db: Db,
    private readonly labels: Labels,
  ) {
    this.byTag = db.prepare<[number, number, number], MatchRow>(
      'SELECT latency_ms, cost_usd, status, ts, completion_tokens FROM requests WHERE client_tag = ? AND ts >= ? ORDER BY ts DESC LIMIT ?',
    );
  }

  query(sites: readonly { id: string; hashes: readonly string[]; tag?: string | undefined }[], since: number): CallSitesResponse {
    return { since, sites: sites.map((site) => figures(site.id, this.match(site, since))) };
  }

  private match(site: { hashes: readonly string[]; tag?: string | undefined }, since: number): MatchRow[] {
    if (site.tag !== undefined) {
      const label = this.labels.find(site.tag);
      return label === undefined ? [] : this.byTag.all(label, since, MAX_ROWS_PER_SITE);
    }
    const hashes = [...new Set(site.hashes.map(hashKey))];
    if (hashes.length === 0) return [];
    const intersect = hashes.map(() => 'SELECT request_seq FROM message_hashes WHERE hash = ?').join(' INTERSECT ');
    return this.db
      .prepare<(string | number)[], MatchRow>(
        `SELECT latency_ms, cost_usd, status, ts, completion_tokens FROM requests WHERE seq IN (${intersect}) AND ts >= ? ORDER BY ts DESC LIMIT ?`,
      )
      .all(...hashes, since, MAX_ROWS_PER_SITE);
  }
}

function figures(id: string, rows: MatchRow[]): CallSiteFigures {
  const latencies = rows.map((row) => row.latency_ms).sort((a, b) => a - b);
  return {
    id,
    calls: rows.length,
    errors: rows.filter((row) => row.status >= 400).length,
    costUsd: rows.reduce((sum, row) => sum + (row.cost_usd ?? 0), 0),
    p50LatencyMs: latencies.length ? latencies[Math.ceil(latencies.length / 2) - 1]! : null,
    lastTs: rows[0]?.ts ?? null,
    avgOutputTokens: averageOutput(rows),
  };
}

/** What the site's answered calls produced on average: the hint server's output estimate when the call sets no cap. */
function averageOutput(rows: readonly MatchRow[]): number | null {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    if (row.status >= 400 || row.completion_tokens === null) continue;
    sum += row.completion_tokens;
    count++;
  }
  return count === 0 ? null : sum / count;
}
