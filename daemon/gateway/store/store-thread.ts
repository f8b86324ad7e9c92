import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What a store thread does: commit the log writer's batches, or checkpoint the WAL. */
export interface StoreThreadData {
  file: string;
  role: 'commit' | 'checkpoint';
}

/**
 * Starts a thread running store/log-worker.ts. The bundle ships dist/log-worker.js beside
 * dist/tollgate.js. Run from sources (the tests), the worker loads the .ts file through tsx's
 * require hook: loader flags given to the parent with --import do not reach worker threads on
 * Node 20.
 */
export function startStoreThread(workerData: StoreThreadData): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'log-worker.js'), { workerData });
  const source = join(__dirname, 'log-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData });
}
