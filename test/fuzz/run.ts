import { Agent } from 'node:http';
import type { FuzzCase } from './case';
import { adminCase } from './cases-admin';
import { proxyCase } from './cases-proxy';
import { rawCase } from './cases-raw';
import type { Result } from './check';
import type { DaemonUnderTest } from './daemon';
import { Random } from './random';
import { sendHttp, sendRaw } from './send';

export interface RunOptions {
  seed: number;
  count: number;
  concurrency: number;
  daemon: DaemonUnderTest;
}

export interface RunReport {
  results: Result[];
  ms: number;
}

/**
 * Sends `count` generated requests, `concurrency` at a time. Cases are generated one after the
 * other from the seed as workers ask for them, so a seed always yields the same requests
 * whatever the timing. A daemon found dead is restarted (and counted) so that the run goes on
 * and reports everything the crash broke.
 */
export async function runFuzz(options: RunOptions): Promise<RunReport> {
  const random = new Random(options.seed);
  const { daemon } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const results: Result[] = [];
  let next = 0;
  const started = performance.now();
  const nextCase = (): FuzzCase | undefined => (next < options.count ? generate(random, next++, daemon.token) : undefined);

  const worker = async (): Promise<void> => {
    for (let fuzzCase = nextCase(); fuzzCase; fuzzCase = nextCase()) {
      await daemon.restartIfDead();
      const { send, ...meta } = fuzzCase;
      const slow = process.env['TOLLGATE_FUZZ_DEBUG'] ? setTimeout(() => console.log(`      still waiting after 20 s: #${meta.id} ${meta.label.slice(0, 300)}`), 20_000) : undefined;
      const outcome = send.kind === 'http' ? await sendHttp(daemon.port, agent, send) : await sendRaw(daemon.port, send);
      clearTimeout(slow);
      results.push({ fuzzCase: meta, outcome });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  results.sort((a, b) => a.fuzzCase.id - b.fuzzCase.id);
  return { results, ms: performance.now() - started };
}

function generate(random: Random, id: number, token: string): FuzzCase {
  return random.weighted<(r: Random, id: number, token: string) => FuzzCase>([
    [13, proxyCase],
    [4, rawCase],
    [3, adminCase],
  ])(random, id, token);
}

/** Statuses by class, for the summary. */
export function summarize(report: RunReport, daemon: { restarts: number; unexpectedReports: readonly string[] }, logRows: number): string {
  const classes = new Map<string, number>();
  const add = (name: string): void => void classes.set(name, (classes.get(name) ?? 0) + 1);
  let upstreamFailed5xx = 0;
  for (const { fuzzCase, outcome } of report.results) {
    if (outcome.status !== undefined) add(outcome.status === 101 ? '101' : `${String(outcome.status)[0]}xx`);
    else add(fuzzCase.clientLeaves ? 'none (client left)' : fuzzCase.cutOffOk ? 'none (upload over the limit, cut off)' : 'none');
    if (outcome.status !== undefined && outcome.status >= 500 && fuzzCase.upstreamFails) upstreamFailed5xx++;
  }
  const fivexx = classes.get('5xx') ?? 0;
  const byClass = [...classes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${n}`).join(', ');
  return [
    `requests sent: ${report.results.length} in ${(report.ms / 1000).toFixed(1)} s`,
    `statuses: ${byClass}`,
    `5xx: ${fivexx} (${upstreamFailed5xx} where the fake provider was told to fail, ${fivexx - upstreamFailed5xx} otherwise)`,
    `restarts: ${daemon.restarts}; errors and warnings the daemon printed: ${daemon.unexpectedReports.length}; log rows checked: ${logRows}`,
  ].join('\n');
}
