import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db';
import { RowCommitter } from './row-committer';
import type { WorkerReply, WorkerRequest } from './log-writer';

/**
 * The log writer's thread: its own connection to the gateway's database (WAL lets the main
 * thread read meanwhile), committing each batch the main thread posts and answering with the
 * committed entries, or the error.
 */
const db = openDatabase((workerData as { file: string }).file);
const committer = new RowCommitter(db);
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    db.close();
    port.postMessage({ type: 'closed' } satisfies WorkerReply);
    port.close();
    return;
  }
  try {
    const { entries, rejected } = committer.commit(request.rows, request.keepBodies);
    port.postMessage({ type: 'committed', batch: request.batch, entries, rejected } satisfies WorkerReply);
  } catch (error) {
    const code = (error as { code?: string }).code;
    port.postMessage({ type: 'failed', batch: request.batch, message: (error as Error).message, code } satisfies WorkerReply);
  }
});
