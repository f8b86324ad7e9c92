// Every process and resource the e2e run starts is registered here and torn down in reverse order,
// on success, on failure and on SIGINT/SIGTERM.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

type Cleanup = { name: string; run: () => Promise<void> | void };

const cleanups: Cleanup[] = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await withTimeout(Promise.resolve(cleanup.run()), 15_000, cleanup.name);
      } catch (error) {
        console.error(`e2e: cleanup of ${cleanup.name} failed: ${(error as Error).message}`);
      }
    }
    cleanups.length = 0;
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`e2e: ${signal}, cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** Starts a process in its own process group, so that stopping it also stops what it started. */
export function spawnGroup(name: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  onCleanup(name, () => killGroup(child));
  return child;
}

export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Grandchildren that outlived their parent (the extension host, the hint server).
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops one process by pid (the gateway daemon, which detaches into its own session). */
export async function killPid(pid: number): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
