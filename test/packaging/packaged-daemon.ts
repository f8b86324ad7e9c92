// Starting the gateway out of an unpacked .vsix, with a given node, the way the extension does.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readState, type DaemonState } from '../../daemon/gateway/state-file';

export interface PackagedDaemon {
  state: DaemonState;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface DaemonRun {
  node: string;
  /** The unpacked package's extension/ directory. */
  extension: string;
  dataDir: string;
  config: string;
  env: NodeJS.ProcessEnv;
}

function args(run: DaemonRun): string[] {
  return [join(run.extension, 'dist', 'tollgate.js'), 'start', '--foreground', '--port', '0', '--data-dir', run.dataDir, '--config', run.config];
}

/** Resolves once daemon.json names this process; fails with the daemon's output if it exits first. */
export async function startPackagedDaemon(run: DaemonRun, timeoutMs = 20_000): Promise<PackagedDaemon> {
  const child = spawn(run.node, args(run), { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(run.dataDir);
    if (state && state.pid === child.pid) return { state, child, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`the packaged gateway did not start with ${run.node}:\n${output.join('')}`);
}

/** Runs `start --foreground` expecting it to fail; returns its exit code and what it printed. */
export function failedStart(run: DaemonRun): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(run.node, args(run), { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Every file under `dir`, relative to it, with / separators. */
export function listFiles(dir: string, under: string = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, under) : [relative(under, path).split('\\').join('/')];
  });
}
