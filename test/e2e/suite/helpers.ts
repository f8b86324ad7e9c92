// Shared by the extension-host tests: the extension's state, the gateway it uses, and waiting.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AdminClient } from '../../../daemon/gateway/api/client';
import { readState, type DaemonState } from '../../../daemon/gateway/state-file';

export const EXTENSION_ID = 'tollgate.tollgate';

export interface ExtensionStatus {
  activation: { startedAt: number; activatedAt?: number };
  dataDir: string;
  storagePaths: string[];
  gateway: { kind: 'up'; port: number; pid: number } | { kind: 'starting' } | { kind: 'down'; message: string };
  hints: 'idle' | 'missing' | 'starting' | 'running' | 'stopped' | 'failed';
  usage: { todayUsd: number; requests: number } | null;
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  return extension;
}

export async function extensionStatus(): Promise<ExtensionStatus> {
  return (await vscode.commands.executeCommand('tollgate.internal.status')) as ExtensionStatus;
}

/** The gateway the extension is connected to, once it is up. */
export async function connectedGateway(timeoutMs = 30_000): Promise<{ state: DaemonState; admin: AdminClient; status: ExtensionStatus }> {
  let status = await extensionStatus();
  await waitFor(async () => {
    status = await extensionStatus();
    return status.gateway.kind === 'up';
  }, timeoutMs, () => `gateway not up: ${JSON.stringify(status.gateway)}`);
  const state = readState(status.dataDir);
  if (!state) throw new Error(`no daemon.json in ${status.dataDir}`);
  return { state, admin: new AdminClient(state), status };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every file under `dir` (recursively) whose bytes contain `needle`. Async: the extension host must stay responsive. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle);
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = join(path, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (entry.isFile()) {
        try {
          if ((await stat(file)).size < 256 * 1024 * 1024 && (await readFile(file)).includes(bytes)) found.push(file);
        } catch {
          // Vanished or unreadable while walking (a lock file): nothing to find there.
        }
      }
    }
  };
  await walk(dir);
  return found;
}

/** Settings given to the extension host by test/e2e/run.ts (extensionEnvironment). */
export function e2eEnv(name: 'TOLLGATE_E2E_USER_DATA_DIR' | 'TOLLGATE_E2E_BROWSER_PROFILE' | 'TOLLGATE_E2E_ROOT'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through test/e2e/run.ts`);
  return value;
}
