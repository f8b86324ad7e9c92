// Where the gateway's memory goes under the benchmark's load: idle, then peak (VmHWM) and the
// V8 breakdown (health's memoryMb) after 32 connections for a few seconds. Extra node flags for
// the gateway process come from the command line:  node --import tsx test/bench/rss-probe.ts [--max-semi-space-size=4 …]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';
import { throughput } from './load';
import { cpuMs, peakRssMb, startFakeProcess } from './processes';

const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are a concise assistant for a developer tool.' }, { role: 'user', content: 'Summarise the difference between latency and throughput in one sentence.' }], temperature: 0.2 }));

async function main(): Promise<void> {
  const flags = process.argv.slice(2);
  const fake = await startFakeProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-rss-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] }));
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...flags, join(__dirname, '../../dist/tollgate.js'), 'start', '--foreground', '--port', '0', '--data-dir', dataDir], { stdio: 'ignore' });
  const file = join(dataDir, 'daemon.json');
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const { port, token } = JSON.parse(readFileSync(file, 'utf8')) as { port: number; token: string };
  const health = async (): Promise<unknown> => ((await (await fetch(`http://127.0.0.1:${port}/tollgate/v1/health`, { headers: { authorization: `Bearer ${token}` } })).json()) as { memoryMb: unknown }).memoryMb;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log(`flags ${flags.join(' ') || '(none)'}\nidle        ${JSON.stringify(await health())}`);
  const target = { name: 'gateway', url: new URL(`http://127.0.0.1:${port}/v1/chat/completions`), headers: { authorization: `Bearer ${token}` } };
  const before = cpuMs(child.pid!);
  const run = await throughput(target, body, 32, Number(process.env['SECONDS'] ?? 5));
  const cpu = (cpuMs(child.pid!) - before) / run.requests;
  console.log(`after load  ${JSON.stringify(await health())}`);
  console.log(`peak RSS ${peakRssMb(child.pid!).toFixed(0)} MB; ${run.rps.toFixed(0)} req/s; ${cpu.toFixed(3)} ms CPU per request`);
  child.kill('SIGTERM');
  await fake.stop();
}
void main();
