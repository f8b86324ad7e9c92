import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';
import type { FakeUpstream } from '../fixtures/fake-upstream';
import { baseConfig, OPENAI_KEY, ANTHROPIC_KEY } from './harness';

export const CLI = join(__dirname, '../../dist/tollgate.js');

/** Builds dist/ if a source changed since the last build (`npm test` has just built it). */
export function buildIfStale(): void {
  execFileSync(process.execPath, ['esbuild.mjs', '--if-stale'], { cwd: join(__dirname, '../..'), stdio: 'inherit' });
}

export interface CliDaemon {
  child: ChildProcess;
  port: number;
  pid: number;
  token: string;
  url: string;
  /** Everything the daemon printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals>;
}

export function cliEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, TOLLGATE_HOME: home, TEST_OPENAI_KEY: OPENAI_KEY, TEST_ANTHROPIC_KEY: ANTHROPIC_KEY };
}

/** Writes the test config (both providers on the fake) into a data directory. */
export function writeTestConfig(home: string, fake: FakeUpstream): void {
  writeFileSync(join(home, 'config.json'), JSON.stringify(baseConfig(fake)));
}

/**
 * `tollgate start --foreground` as a user's daemon runs (with the Node options `tollgate start`
 * gives it), in its own data directory; resolves once it answers.
 */
export async function startCliDaemon(home: string): Promise<CliDaemon> {
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, CLI, 'start', '--foreground', '--port', '0', '--data-dir', home], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const stateFile = join(home, 'daemon.json');
  const deadline = Date.now() + 15_000;
  while (!(existsSync(stateFile) && /Tollgate http/.test(output))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the daemon did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { port: number; pid: number; token: string };
  return { child, ...state, url: `http://127.0.0.1:${state.port}`, output: () => output, exited };
}

/** Request ids in the database file, read directly as a user's tools would (the daemon may be gone). */
export function loggedRows(home: string): { id: string; status: number; stream: number; errorClass: string }[] {
  const db = new Database(join(home, 'tollgate.db'), { readonly: true });
  try {
    return db
      .prepare(`SELECT r.id, r.status, r.stream, e.value AS errorClass FROM requests r JOIN labels e ON e.id = r.error_class`)
      .all() as { id: string; status: number; stream: number; errorClass: string }[];
  } finally {
    db.close();
  }
}
