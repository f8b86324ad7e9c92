import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';
import { createInterface } from 'node:readline';

/** A child process the benchmark started, with its first stdout JSON line. */
export interface Started<T> {
  child: ChildProcess;
  info: T;
  stop(): Promise<void>;
}

export function startJsonLineProcess<T>(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Started<T>> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      child.stdout!.resume();
      resolve({ child, info: JSON.parse(line) as T, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** User + system CPU time a process has used so far, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

/** Peak resident set size of a process, in MB (VmHWM). */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface GatewayProcess {
  port: number;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

/** The built gateway (dist/tollgate.js) as users run it, in its own data directory, with this config. */
/** `prepare` runs on the data directory before the daemon starts (e.g. to fill its log). */
export async function startGatewayProcess(config: unknown, prepare?: (dataDir: string) => void): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  prepare?.(dataDir);
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, join(__dirname, '../../dist/tollgate.js'), 'start', '--foreground', '--port', '0', '--data-dir', dataDir], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const file = join(dataDir, 'daemon.json');
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!existsSync(file)) {
    await stop();
    throw new Error('the gateway did not start');
  }
  const state = JSON.parse(readFileSync(file, 'utf8')) as { port: number; token: string };
  return { port: state.port, token: state.token, pid: child.pid!, stop };
}

export interface FakeInfo {
  url: string;
  openaiBaseUrl: string;
}

/** The fake upstream as its own process, so that its CPU is not the gateway's or the load generator's. */
export function startFakeProcess(extraArgs: string[] = []): Promise<Started<FakeInfo>> {
  return startJsonLineProcess<FakeInfo>(process.execPath, ['--import', 'tsx', join(__dirname, '../fixtures/fake-upstream/main.ts'), '--port', '0', '--no-record', ...extraArgs]);
}
