import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * daemon.json: how every client (CLI, VS Code windows, terminals) finds the running gateway.
 * It holds the token, so it is written 0600 in a 0700 directory.
 */
export const daemonState = z.object({
  port: z.number().int(),
  pid: z.number().int(),
  token: z.string(),
  version: z.string(),
  startedAt: z.number(),
});
export type DaemonState = z.infer<typeof daemonState>;

export const STATE_FILE = 'daemon.json';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['TOLLGATE_HOME'] || join(homedir(), '.tollgate');
}

/** Only its owner may enter the data directory (token, prompts, answers), even one that existed before. */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function writeState(dir: string, state: DaemonState): void {
  const temporary = join(dir, `${STATE_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, join(dir, STATE_FILE));
}

export function readState(dir: string): DaemonState | undefined {
  try {
    const parsed = daemonState.safeParse(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the state file only if it still describes this process (a newer daemon may own it). */
export function removeStateIfOurs(dir: string, pid: number): void {
  if (readState(dir)?.pid === pid) rmSync(join(dir, STATE_FILE), { force: true });
}
