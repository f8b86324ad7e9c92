import { AdminClient } from '../api/client';
import type { HealthResponse } from '../api/contracts';
import { readState, type DaemonState } from '../state-file';

export interface FoundDaemon {
  state: DaemonState;
  health: HealthResponse;
  client: AdminClient;
}

/** The daemon daemon.json describes, if it is alive and answers with its token. */
export async function findRunningDaemon(dataDir: string): Promise<FoundDaemon | undefined> {
  const state = readState(dataDir);
  if (!state || !isAlive(state.pid)) return undefined;
  const client = new AdminClient(state);
  try {
    return { state, health: await client.health(), client };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
