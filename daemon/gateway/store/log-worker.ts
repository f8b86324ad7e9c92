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
const port = parentPort!;

/**
 * The writer leaves checkpoints to the checkpointer thread, so that no commit copies pages or
 * waits for an fsync. It still checkpoints itself past this many pages (about 40 MB of WAL), which
 * only happens if the checkpointer is gone.
 */
const WRITER_CHECKPOINT_PAGES = 10_000;
/**
 * The WAL starts over by itself whenever the checkpointer has caught up between two commits. Under
 * load that never pauses, it is made to start over (RESTART: the writer waits for the last few
 * pages) once it holds this many.
 */
const RESTART_ABOVE_PAGES = 4_000;

function serveCommits(db: Db): void {
  db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const committer = new RowCommitter(db);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') return close(db, { type: 'closed' } satisfies WorkerReply);
    try {
      const { rejected } = committer.commit(request.rows, request.keepBodies);
      port.postMessage({ type: 'committed', batch: request.batch, rejected } satisfies WorkerReply);
    } catch (error) {
      const code = (error as { code?: string }).code;
      port.postMessage({ type: 'failed', batch: request.batch, message: (error as Error).message, code } satisfies WorkerReply);
    }
  });
}

function serveCheckpoints(db: Db): void {
  // PASSIVE never waits for the writer or for readers.
  port.on('message', (request: 'checkpoint' | 'close') => {
    if (request === 'close') return close(db, 'closed');
    try {
      const [wal] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      if (wal && wal.log > RESTART_ABOVE_PAGES) db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // A busy or full disk: the next nudge tries again.
    }
  });
}

function close(db: Db, reply: unknown): void {
  db.close();
  port.postMessage(reply);
  port.close();
}

/**
 * Page cache per connection. The writer appends rows and inserts into two indexes (the call-site
 * hashes land anywhere in theirs): a few megabytes keep the indexes' inner pages cached. The
 * checkpointer copies WAL pages to the database and reads none back. better-sqlite3's build
 * defaults to 16 MB each, which under load is resident memory the daemon does not need.
 */
const CACHE_KB = { commit: 4096, checkpoint: 512 } as const;

const { file, role } = workerData as StoreThreadData;
const db = openDatabase(file);
db.pragma(`cache_size = -${CACHE_KB[role]}`);
if (role === 'checkpoint') serveCheckpoints(db);
else serveCommits(db);
