import { startOfLocalDay } from '../../shared/local-time';
import type { Aggregate } from '../api/contracts';
import { findRunningDaemon } from './find-daemon';
import { StatsQueries } from '../store/stats-queries';
import { withStoppedStore } from './stopped-store';
import { unpricedSummary } from '../api/unpriced';
import { formatCount, formatMs, formatUsd, table } from './format';

/** "today" (since local midnight), or a span back from now: "30m", "24h", "7d". */
export function parseSince(text: string, now = new Date()): number {
  if (text === 'today') return startOfLocalDay(now);
  const match = /^(\d+)([mhd])$/.exec(text);
  if (!match) throw new Error(`--since takes "today" or a span like 30m, 24h, 7d (got "${text}")`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return now.getTime() - Number(match[1]) * unit;
}

/** Spend and latency by model; read from the running daemon, or from the database when it is stopped. */
export async function printStats(dataDir: string, since: string): Promise<number> {
  const query = { since: parseSince(since), tzOffsetMinutes: -new Date().getTimezoneOffset() };
  const running = await findRunningDaemon(dataDir);
  const stats = running ? await running.client.stats(query) : withStoppedStore(dataDir, (db) => new StatsQueries(db).query({ ...query, bucket: 'hour' }));
  if (!stats) {
    console.error(`tollgate: no request log in ${dataDir} yet; start the gateway with: tollgate start`);
    return 1;
  }
  if (!running) console.log('(the daemon is stopped: read from the request log on disk)');
  const row = (name: string, a: Aggregate): string[] => [
    name,
    formatCount(a.requests),
    formatCount(a.errors),
    formatUsd(a.costUsd) + (a.unpricedRequests ? ` +${a.unpricedRequests} unpriced` : ''),
    formatCount(a.promptTokens),
    formatCount(a.completionTokens),
    formatMs(a.latencyMs.p50),
    formatMs(a.latencyMs.p90),
    formatMs(a.latencyMs.p99),
  ];
  console.log(`Since ${new Date(stats.since).toLocaleString()}:`);
  console.log(
    table(
      ['model', 'calls', 'errors', 'spend', 'in tok', 'out tok', 'p50', 'p90', 'p99'],
      [...stats.byModel.map((m) => row(`${m.provider}/${m.model}`, m)), row('total', stats.totals)],
    ),
  );
  const cache = cacheSummary(stats.totals.cache);
  if (cache) console.log(`\n${cache}`);
  const unpriced = unpricedSummary(stats.byModel);
  if (unpriced) console.log(`\n${unpriced}`);
  if (stats.deferred) console.log(`\nDeferred jobs: ${formatCount(stats.deferred.jobs)} finished, ${formatUsd(stats.deferred.costUsd)} spent, ${formatUsd(stats.deferred.savedUsd)} saved by batch discounts.`);
  if (stats.incomplete) console.log(`Incomplete: ${stats.incomplete.reason}.`);
  return 0;
}

/** What the cache did over the range, in one line; undefined when it answered nothing. */
export function cacheSummary(cache: Aggregate['cache']): string | undefined {
  if (cache.lookups === 0) return undefined;
  const share = (count: number): string => `${((100 * count) / cache.lookups).toFixed(1)} %`;
  return (
    `Cache: ${formatCount(cache.hits)} ${cache.hits === 1 ? 'hit' : 'hits'} (${share(cache.hits)}), ` +
    (cache.semanticHits > 0 ? `${formatCount(cache.semanticHits)} semantic (${share(cache.semanticHits)}), ` : '') +
    `${formatCount(cache.coalesced)} coalesced (${share(cache.coalesced)}) ` +
    `of ${formatCount(cache.lookups)} cacheable calls; saved ${formatUsd(cache.savedUsd)} and ${(cache.savedMs / 1000).toFixed(1)} s.`
  );
}
