import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from './db';
import { RowCommitter } from './row-committer';
import type { WorkerReply, WorkerRequest } from './log-writer';
import type { StoreThreadData } from './store-thread';

/**
 * A store thread, with its own connection to the gateway's database (WAL lets the main thread
 * read meanwhile). The log writer's thread commits each batch the main thread posts and answers
 * with the committed entries, or the error; the checkpointer's copies the WAL into the database
 * when asked (store/checkpointer.ts).
 */
const { file, role } = workerData as StoreThreadData;
const db = openDatabase(file);
const port = parentPort!;
if (role === 'checkpoint') serveCheckpoints(db);
else serveCommits(db);

function serveCommits(db: Db): void {
  const committer = new RowCommitter(db);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') return close(db, { type: 'closed' } satisfies WorkerReply);
    try {
      const { entries, rejected } = committer.commit(request.rows, request.keepBodies);
      port.postMessage({ type: 'committed', batch: request.batch, entries, rejected } satisfies WorkerReply);
    } catch (error) {
      const code = (error as { code?: string }).code;
      port.postMessage({ type: 'failed', batch: request.batch, message: (error as Error).message, code } satisfies WorkerReply);
    }
  });
}

function serveCheckpoints(db: Db): void {
  // The writer's own automatic checkpoint stays on: it is what lets the WAL start over, and it
  // now finds most pages already copied. PASSIVE never waits for the writer or for readers.
  port.on('message', (request: 'checkpoint' | 'close') => {
    if (request === 'close') return close(db, 'closed');
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A busy or full disk: the next nudge tries again, and the writer checkpoints regardless.
    }
  });
}

function close(db: Db, reply: unknown): void {
  db.close();
  port.postMessage(reply);
  port.close();
}
