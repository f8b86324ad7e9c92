import type { RequestLogEntry } from '../../../daemon/gateway/api/contracts';
import type { OkScenario, Scenario } from '../../fixtures/fake-upstream';
import type { Harness } from '../../helpers/harness';
import { usd } from './expected';

/**
 * Measured figures the honest way: real SDK calls through the real gateway (the fake upstream
 * being the only stand-in), then the CodeLens a user should see, computed here from the rows the
 * gateway logged, not from numbers the test made up.
 */

/** A successful answer after `latencyMs`, billed for the given token counts. */
export function ok(latencyMs: number, promptTokens = 1_200, completionTokens = 400): OkScenario {
  return { kind: 'ok', latencyMs, usage: { promptTokens, completionTokens } };
}

/**
 * Makes one call per scenario, all at once; the fake upstream hands the scenarios out in the
 * order the calls reach it (which call gets which does not matter: the figures are a sum and a
 * median). Returns the rows the gateway logged for them.
 */
export async function callThroughGateway(h: Harness, scenarios: readonly Scenario[], call: () => Promise<unknown>): Promise<RequestLogEntry[]> {
  await h.reset();
  const queue = [...scenarios];
  h.fake.behave(() => queue.shift() ?? { kind: 'status', status: 500, message: 'the test made more calls than it planned' });
  const settled = await Promise.allSettled(scenarios.map(() => call()));
  const failed = settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  const planned = scenarios.filter((scenario) => scenario.kind !== 'ok').length;
  if (failed.length !== planned) throw new Error(`expected ${planned} failed calls, got ${failed.length}: ${failed.join('; ')}`);
  return h.waitForRequests(scenarios.length);
}

/**
 * The lens for these logged calls, as the user reads it: "3 calls · 1 error · $0.0067/call ·
 * p50 1.1 s · $0.02 today": the average per call beside today's total. The gateway's p50 is the
 * lower median.
 */
export function expectedLensTitle(rows: readonly RequestLogEntry[]): string {
  if (rows.length === 0) throw new Error('no calls: no lens');
  const errors = rows.filter((row) => row.status >= 400).length;
  const cost = rows.reduce((sum, row) => sum + (row.costUsd ?? 0), 0);
  const latencies = rows.map((row) => row.latencyMs).sort((a, b) => a - b);
  const p50 = latencies[Math.ceil(latencies.length / 2) - 1] as number;
  const latency = p50 < 1000 ? `${Math.round(p50)} ms` : `${(p50 / 1000).toFixed(1)} s`;
  const calls = `${rows.length} call${rows.length === 1 ? '' : 's'}`;
  const errorText = errors === 0 ? '' : ` · ${errors} error${errors === 1 ? '' : 's'}`;
  return `${calls}${errorText} · ${usd(cost / rows.length)}/call · p50 ${latency} · ${usd(cost)} today`;
}
