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
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'log-worker.js'), { workerData, resourceLimits: STORE_THREAD_LIMITS });
  const source = join(__dirname, 'log-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData, resourceLimits: STORE_THREAD_LIMITS });
}

/**
 * A store thread's garbage is a batch's rows, short-lived and small: a young generation of a few
 * megabytes holds it. V8's default lets each thread's grow to 48 MB under load, which is most of
 * what the log's threads added to the daemon's peak resident memory (npm run bench).
 */
const STORE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4 };
