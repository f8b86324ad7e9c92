import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tagOf, type FuzzCase, type Outcome } from './case';

export interface Result {
  fuzzCase: Pick<FuzzCase, 'id' | 'label' | 'logged' | 'upstreamFails' | 'clientLeaves' | 'cutOffOk'>;
  outcome: Outcome;
}

interface LoggedRow {
  id: string;
  tag: string;
  endpoint: string;
  status: number;
  error: string | null;
  /** Served by a provider of another API: its answer was rewritten, not relayed. */
  translated: number;
}

/**
 * What every answer must satisfy: there is one (unless the client left), and it is not a 5xx
 * unless the provider was told to fail, or sent a 200 the gateway had to translate and could
 * not read (garbage can be relayed as it is, but not rewritten in another API). Then every request that reached a proxy route is in
 * the log exactly once, found by the request id it was answered with, else by its tag, and
 * nothing else is in the log.
 */
export function checkAnswers(results: readonly Result[], log: ReadonlyMap<string, LoggedRow>): string[] {
  const problems: string[] = [];
  for (const { fuzzCase, outcome } of results) {
    const logged = outcome.requestIds.map((id) => log.get(id)?.error).filter(Boolean);
    const cutOff = fuzzCase.cutOffOk === true && (outcome.noAnswer === 'EPIPE' || outcome.noAnswer === 'ECONNRESET');
    if (outcome.noAnswer !== undefined && !fuzzCase.clientLeaves && !cutOff) problems.push(`#${fuzzCase.id} no answer (${outcome.noAnswer}): ${fuzzCase.label}`);
    const untranslatable = outcome.status === 502 && outcome.requestIds.some((id) => log.get(id)?.translated === 1 && log.get(id)?.error?.startsWith('provider_malformed_response'));
    if (outcome.status !== undefined && outcome.status >= 500 && !fuzzCase.upstreamFails && !untranslatable) problems.push(`#${fuzzCase.id} answered ${outcome.status} with the provider healthy (${logged.join('; ') || 'not logged'}): ${fuzzCase.label}`);
  }
  return problems;
}

/** Rows logged from `since` (ms since epoch) on: the run's own. */
/** The run's rows (logged from `since`, ms since epoch, on), by request id. */
export function readLog(dataDir: string, since: number): Map<string, LoggedRow> {
  const db = new Database(join(dataDir, 'tollgate.db'), { readonly: true });
  const rows = db
    .prepare(
      `SELECT r.id, t.value AS tag, e.value AS endpoint, r.status, c.value || ': ' || r.error_message AS error,
              r.upstream_endpoint NOT IN (0, r.endpoint) AS translated
       FROM requests r JOIN labels t ON t.id = r.client_tag JOIN labels e ON e.id = r.endpoint JOIN labels c ON c.id = r.error_class WHERE r.ts >= ?`,
    )
    .all(since) as LoggedRow[];
  db.close();
  return new Map(rows.map((row) => [row.id, row]));
}

export function checkLog(log: ReadonlyMap<string, LoggedRow>, results: readonly Result[]): string[] {
  const rows = [...log.values()];
  const unmatched = new Map(rows.map((row) => [row.id, row]));
  const byTag = new Map<string, LoggedRow[]>();
  for (const row of rows) byTag.set(row.tag, [...(byTag.get(row.tag) ?? []), row]);
  const problems: string[] = [];
  for (const { fuzzCase, outcome } of results) {
    let found = 0;
    for (const id of outcome.requestIds) {
      if (unmatched.delete(id)) found++;
      else problems.push(`#${fuzzCase.id} was answered as ${id}, which is not in the log: ${fuzzCase.label}`);
    }
    for (const row of byTag.get(tagOf(fuzzCase.id)) ?? []) {
      if (unmatched.delete(row.id)) found++;
    }
    if (found !== fuzzCase.logged) problems.push(`#${fuzzCase.id} has ${found} log rows, expected ${fuzzCase.logged} (answered ${outcome.status ?? outcome.noAnswer}): ${fuzzCase.label}`);
  }
  for (const row of unmatched.values()) problems.push(`log row ${row.id} (${row.endpoint} ${row.status}, tag ${JSON.stringify(row.tag.slice(0, 40))}) belongs to no request`);
  return problems;
}
