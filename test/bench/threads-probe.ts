// CPU per request of each of the gateway's threads under the benchmark's load (Linux /proc), to
// see what the request path costs apart from the log writer's threads.
//   node --import tsx test/bench/threads-probe.ts [seconds] [dist dir] [-- extra node flags for the gateway]
// Prints one JSON line last, for scripts comparing builds (several runs, interleaved: the machine is noisy).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';
import { throughput } from './load';
import { peakRssMb, startFakeProcess } from './processes';

const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are a concise assistant for a developer tool.' }, { role: 'user', content: 'Summarise the difference between latency and throughput in one sentence.' }], temperature: 0.2 }));

function threadTimes(pid: number): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = /\((.*)\)/.exec(stat)![1]!;
      const fields = stat.split(') ')[1]!.split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      times.set(`${name}#${tid}`, ms);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return times;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 8);
  const distDir = process.argv[3] && process.argv[3] !== '--' ? process.argv[3] : 'dist';
  const dash = process.argv.indexOf('--');
  const flags = dash === -1 ? [] : process.argv.slice(dash + 1);
  const fake = await startFakeProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-threads-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] }));
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...flags, join(process.cwd(), distDir, 'tollgate.js'), 'start', '--foreground', '--port', '0', '--data-dir', dataDir], { stdio: 'ignore' });
  const file = join(dataDir, 'daemon.json');
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const { port, token } = JSON.parse(readFileSync(file, 'utf8')) as { port: number; token: string };
  const target = { name: 'gateway', url: new URL(`http://127.0.0.1:${port}/v1/chat/completions`), headers: { authorization: `Bearer ${token}` } };
  await throughput(target, body, 32, 1);
  const before = threadTimes(child.pid!);
  const run = await throughput(target, body, 32, seconds);
  const after = threadTimes(child.pid!);
  let total = 0;
  const rows: [string, number][] = [];
  for (const [name, ms] of after) {
    const used = ms - (before.get(name) ?? 0);
    total += used;
    if (used > 0) rows.push([name, used]);
  }
  console.log(`${run.rps.toFixed(0)} req/s, peak RSS ${peakRssMb(child.pid!).toFixed(0)} MB, CPU per request ${(total / run.requests * 1000).toFixed(1)} µs`);
  const sorted = rows.sort((a, b) => b[1] - a[1]);
  for (const [name, used] of sorted) console.log(`  ${(used / run.requests * 1000).toFixed(1).padStart(6)} µs  ${name}`);
  const perRequest = (ms: number): number => (ms / run.requests) * 1000;
  console.log(JSON.stringify({ rps: run.rps, totalUs: perRequest(total), mainUs: perRequest(sorted[0]![1]), peakRssMb: peakRssMb(child.pid!) }));
  child.kill('SIGTERM');
  await fake.stop();
}
void main();
