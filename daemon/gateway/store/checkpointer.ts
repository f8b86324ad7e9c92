import type { Worker } from 'node:worker_threads';
import { startStoreThread } from './store-thread';

/**
 * While commits keep coming, the WAL is copied into the database this often. More often copies the
 * same hot pages (the end of each index, the hour's rollup) again and again: every 50 ms cost
 * twice the CPU per call of every 250 ms.
 */
const CHECKPOINT_EVERY_MS = 250;

/**
 * Copies the WAL into the database file on a thread of its own. SQLite otherwise does it inside
 * the commit that takes the WAL past 1,000 pages, copying all of them (15–40 ms here) and waiting
 * for two fsyncs while the rows queued behind that commit wait, which was most of a crash's
 * worst-case loss. Checkpointing often, beside the writer (WAL allows one checkpointer next to one
 * writer), keeps all of that off the commit path; the writer only steps in if this thread is gone
 * (see log-worker.ts for both thresholds).
 */
export class Checkpointer {
  private readonly thread: Worker;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(file: string, onError: (error: Error) => void) {
    this.thread = startStoreThread({ file, role: 'checkpoint' });
    // Checkpointing is an optimisation: a failure only brings back the slower commits.
    this.thread.on('error', onError);
    this.thread.unref();
  }

  /** After a commit: a checkpoint follows within CHECKPOINT_EVERY_MS (one per interval, none when idle). */
  nudge(): void {
    if (this.timer || this.closing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.thread.postMessage('checkpoint');
    }, CHECKPOINT_EVERY_MS).unref();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearTimeout(this.timer);
      this.thread.once('exit', () => resolve());
      this.thread.ref();
      this.thread.postMessage('close');
    });
    return this.closing;
  }
}
