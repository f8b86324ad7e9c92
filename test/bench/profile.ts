import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';
import { throughput } from './load';
import { startFakeProcess, stopChild } from './processes';

/**
 * Where the gateway spends its CPU under load: runs the built gateway with --cpu-prof behind the
 * fake provider, drives 32 connections for a few seconds, and prints the functions with the most
 * self time and the most inclusive time. The .cpuprofile is kept for Chrome DevTools.
 *   node --import tsx test/bench/profile.ts [seconds]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 6);
  const fake = await startFakeProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-profile-'));
  const profileDir = join(dataDir, 'profile');
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] }));
  const gateway = spawn(process.execPath, [...DAEMON_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, join(__dirname, '../../dist/tollgate.js'), 'start', '--foreground', '--port', '0', '--data-dir', dataDir], { stdio: 'ignore' });
  while (!existsSync(join(dataDir, 'daemon.json'))) await new Promise((resolve) => setTimeout(resolve, 50));
  const state = JSON.parse(readFileSync(join(dataDir, 'daemon.json'), 'utf8')) as { port: number; token: string };
  const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are a concise assistant.' }, { role: 'user', content: 'Say hello.' }] }));
  const result = await throughput({ name: 'gateway', url: new URL(`http://127.0.0.1:${state.port}/v1/chat/completions`), headers: { authorization: `Bearer ${state.token}` } }, body, 32, seconds);
  await stopChild(gateway);
  await fake.stop();
  const file = join(profileDir, readdirSync(profileDir)[0]!);
  console.log(`${result.rps.toFixed(0)} req/s; profile: ${file}\n`);
  report(JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] });

}

function report(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const label = (node: ProfileNode): string =>
    `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, time] of selfTime) {
    total += time;
    self.set(label(byId.get(id)!), (self.get(label(byId.get(id)!)) ?? 0) + time);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const name = label(byId.get(cursor)!);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + time);
      seen.add(name);
    }
  }
  const print = (title: string, table: Map<string, number>, count: number): void => {
    console.log(title);
    for (const [name, time] of [...table].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`${((100 * time) / total).toFixed(1).padStart(6)} %  ${name}`);
    }
    console.log('');
  };
  print('self time', self, 30);
  print('inclusive time', inclusive, 45);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
