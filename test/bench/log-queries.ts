import { percentile } from './load';
import { startGatewayProcess } from './processes';
import { generateLog } from './generate-log';

const CALLS = Number(process.env['BENCH_LOG_CALLS'] ?? 1_000_000);
const DAYS = 29;
const ROUNDS = 15;

export interface LogQueriesBenchResult {
  calls: number;
  generateMs: number;
  /** Per admin query: ms over HTTP on loopback (p50 and the slowest of the rounds). */
  queries: { name: string; path: string; p50: number; max: number }[];
}

const QUERIES: readonly { name: string; path: string }[] = [
  { name: 'stats, 24 h by hour', path: '/tollgate/v1/stats?since=24h' },
  { name: 'stats, 7 d by hour', path: '/tollgate/v1/stats?since=7d' },
  { name: 'stats, 30 d by day', path: '/tollgate/v1/stats?since=30d&bucket=day' },
  { name: 'requests, newest 100', path: '/tollgate/v1/requests?limit=100' },
  { name: 'requests, one model', path: '/tollgate/v1/requests?limit=100&model=claude-haiku-4-5' },
  { name: 'requests, errors', path: '/tollgate/v1/requests?limit=100&status=error' },
  { name: 'series, 7 d by hour', path: '/tollgate/v1/series?since=7d' },
  { name: 'advice, 7 d', path: '/tollgate/v1/advice?since=7d' },
  { name: 'advice, 30 d', path: '/tollgate/v1/advice?since=30d' },
];

/**
 * The panel's queries against a log of a million calls (generated before the daemon starts): the
 * stats, the calls table and the advisor must each answer in well under 100 ms.
 */
export async function benchLogQueries(): Promise<LogQueriesBenchResult> {
  let generateMs = 0;
  const gateway = await startGatewayProcess(
    {
      providers: [
        { id: 'openai', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeys: ['sk-bench-1', 'sk-bench-2'] },
        { id: 'anthropic', type: 'anthropic', baseUrl: 'http://127.0.0.1:9', apiKeys: ['sk-bench-3'] },
      ],
      routing: { tiers: { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4o' } },
      budgets: { monthlyUsd: 100 },
    },
    (dataDir) => (generateMs = generateLog(dataDir, CALLS, DAYS).ms),
  );
  try {
    const queries: LogQueriesBenchResult['queries'] = [];
    for (const { name, path } of QUERIES) {
      const samples: number[] = [];
      for (let round = 0; round < ROUNDS + 2; round++) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${gateway.port}${path}`, { headers: { authorization: `Bearer ${gateway.token}` } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        if (round >= 2) samples.push(performance.now() - started);
      }
      queries.push({ name, path, p50: percentile(samples, 0.5), max: Math.max(...samples) });
    }
    return { calls: CALLS, generateMs, queries };
  } finally {
    await gateway.stop();
  }
}
