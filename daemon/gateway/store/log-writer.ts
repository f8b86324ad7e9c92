import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { Checkpointer } from './checkpointer';
import { openDatabase, type Db } from './db';
import { FailureTracker, type LogFailure } from './log-failure';
import type { LogRow, LogSink } from './log-row';
import { PendingRows, type PendingLimits } from './pending-rows';
import { RowCommitter, type Committed, type RejectedRow } from './row-committer';
import { startStoreThread } from './store-thread';

/** A transaction is capped so that one commit never holds the writer thread for long. */
const MAX_BATCH = 512;
/**
 * While busy (a commit ended less than BUSY_MS ago), a batch goes once its oldest row has waited
 * COALESCE_MS: each transaction rewrites whole pages, so a few hundred small ones a second cost the
 * writer thread a quarter more CPU per call than batches of a few milliseconds (measured with npm
 * run bench). When idle, a row goes at once. Either way a row waits at most COALESCE_MS, or the
 * commit ahead of it if that takes longer, before its own commit: well inside the 15 ms window.
 */
const BUSY_MS = 5;
const COALESCE_MS = 4;
/** While the database cannot be written: about 20 MB of rows, 32 MB of bodies (see PendingRows). */
const DEFAULT_LIMITS: PendingLimits = { maxRows: 20_000, maxBodyBytes: 32 * 1024 * 1024 };
const MAX_RESTARTS_PER_MINUTE = 3;

export type WorkerRequest = { type: 'commit'; batch: number; rows: LogRow[]; keepBodies: boolean } | { type: 'close' };
export type WorkerReply =
  // Only the refused rows come back: the rows themselves are still here, and copying every row
  // back across threads cost the request path more than the commit did.
  | { type: 'committed'; batch: number; rejected: RejectedRow[] }
  | { type: 'failed'; batch: number; message: string; code: string | undefined }
  | { type: 'ready' }
  | { type: 'closed' };

/** What the log has not written, and why; health, stats and the CLI report it. */
export interface LogStatus {
  /** Finished calls not yet committed. */
  pending: number;
  /** Calls that will never be in the log (since the daemon started). */
  dropped: number;
  /** Calls logged without their bodies because the held bodies filled their memory. */
  bodiesDropped: number;
  /** Set while commits fail. */
  failing: LogFailure | undefined;
  /** Why calls were last dropped, if any were. */
  droppedCause: string | undefined;
}

export interface LogWriterOptions {
  limits?: PendingLimits;
}

/**
 * Takes finished calls off the request path: write() only queues. The queue goes to the writer
 * thread (store/log-worker.ts) one batch at a time, at the end of the event-loop turn when idle
 * and within COALESCE_MS when busy; rows that finish while a batch commits join the next one
 * (group commit). So a row is committed within a few milliseconds of its response closing, which
 * bounds what a crash can lose, and a busy gateway writes bigger batches rather than more of them. Rows stay here until
 * committed: a failed commit is retried with backoff for as long as it fails (PendingRows bounds
 * the memory), a crashed writer thread is replaced and handed its batch again, and drain() waits
 * for all of it.
 */
export class LogWriter extends EventEmitter<{ committed: [readonly LogRow[]]; error: [Error]; recovered: [LogFailure] }> implements LogSink {
  private readonly pending: PendingRows;
  private readonly failures = new FailureTracker();
  private droppedCause: string | undefined;
  private nextBatch = 1;
  private immediate: NodeJS.Immediate | undefined;
  private coalescing: NodeJS.Timeout | undefined;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /** When the oldest row not yet sent was written. */
  private waitingSince = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private readonly checkpointer: Checkpointer;
  private markReady: (() => void) | undefined;
  /**
   * Resolves once the writer thread has its database open: until then a row would wait for the
   * thread to start (tens of milliseconds), beyond the durability window. The gateway takes no
   * call before it.
   */
  readonly ready: Promise<void>;
  /** Used instead of the thread if the thread keeps dying: slower for the request path, but nothing is lost. */
  private inline: { committer: RowCommitter; db: Db } | undefined;
  private readonly restarts: number[] = [];
  private closing: Promise<number> | undefined;
  /** Set once close() has stopped waiting: nothing more is sent or retried. */
  private stopped = false;
  private readonly drainWaiters = new Set<() => void>();
  /** Whether "calls are being dropped" was said during this failure (said once, not per call). */
  private warnedFull = false;

  constructor(
    private readonly file: string,
    private readonly storeBodies: () => boolean,
    options: LogWriterOptions = {},
  ) {
    super();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.pending = new PendingRows(options.limits ?? DEFAULT_LIMITS);
    this.worker = this.startWorker();
    this.checkpointer = new Checkpointer(file, (error) => this.emit('error', new Error(`the WAL checkpoint thread failed: ${error.message}`)));
  }

  /** Calls not yet committed. */
  get size(): number {
    return this.pending.size;
  }

  status(): LogStatus {
    const { size, dropped, bodiesDropped } = this.pending;
    return { pending: size, dropped, bodiesDropped, failing: this.failures.current, droppedCause: this.droppedCause };
  }

  write(row: LogRow): void {
    if (!this.pending.hasWaiting) this.waitingSince = performance.now();
    if (!this.pending.push(row)) {
      this.droppedCause = `the log was already holding ${this.pending.size} unwritten calls, its limit`;
      if (!this.warnedFull) this.emit('error', new Error(`${this.droppedCause}; further calls are not logged (they are counted)`));
      this.warnedFull = true;
    }
    this.schedule();
  }

  /** Resolves true once every call written so far is committed, or false when `timeoutMs` passes first. */
  async drain(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.pending.size === 0) return true;
    this.sendNow();
    // The thread is unref'd so that it never keeps an idle daemon alive; while someone waits for
    // its commits it must, or a stopping process exits with the last rows still unwritten.
    this.worker?.ref();
    let timer: NodeJS.Timeout | undefined;
    let waiter: (() => void) | undefined;
    const drained = await new Promise<boolean>((resolve) => {
      waiter = () => resolve(true);
      this.drainWaiters.add(waiter);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    this.drainWaiters.delete(waiter!);
    if (this.drainWaiters.size === 0) this.worker?.unref();
    return drained;
  }

  /** Commits everything it can within `timeoutMs`, then stops the writer thread; resolves with the calls left unwritten. */
  close(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
    this.closing ??= (async () => {
      await this.drain(timeoutMs);
      this.stopped = true;
      clearTimeout(this.retryTimer);
      clearTimeout(this.coalescing);
      if (this.immediate) clearImmediate(this.immediate);
      await this.checkpointer.close();
      this.inline?.db.close();
      const worker = this.worker;
      if (worker) {
        // A batch still at the thread is answered before it closes, and counted below if it failed.
        const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.ref();
        worker.postMessage({ type: 'close' } satisfies WorkerRequest);
        await closed;
      }
      return this.pending.size;
    })();
    return this.closing;
  }

  /** Sends the queue at the end of this event-loop turn, or when busy once its oldest row has waited COALESCE_MS. */
  private schedule(): void {
    if (this.stopped || this.immediate || this.coalescing || this.retryTimer || this.pending.sending || !this.pending.hasWaiting) return;
    const now = performance.now();
    const wait = now - this.lastCommitAt < BUSY_MS ? this.waitingSince + COALESCE_MS - now : 0;
    if (wait > 0) this.coalescing = setTimeout(() => this.sendNext(), wait);
    else this.immediate = setImmediate(() => this.sendNext());
  }

  /** A retry waiting for its backoff is tried at once: someone is waiting for the log. */
  private sendNow(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.schedule();
  }

  private sendNext(): void {
    this.immediate = undefined;
    this.coalescing = undefined;
    if (this.pending.sending || !this.pending.hasWaiting) return;
    this.send(this.pending.take(MAX_BATCH));
    // Rows left over by a full batch are overdue: they go as soon as this one is committed.
    this.waitingSince = Number.NEGATIVE_INFINITY;
  }

  private send(rows: LogRow[]): void {
    const batch = this.nextBatch++;
    const keepBodies = this.storeBodies();
    if (this.inline) return this.commitInline(batch, rows, keepBodies);
    this.worker!.postMessage({ type: 'commit', batch, rows, keepBodies } satisfies WorkerRequest);
  }

  private commitInline(batch: number, rows: LogRow[], keepBodies: boolean): void {
    let reply: WorkerReply;
    try {
      const committed: Committed = this.inline!.committer.commit(rows, keepBodies);
      reply = { type: 'committed', batch, ...committed };
    } catch (error) {
      reply = { type: 'failed', batch, message: (error as Error).message, code: (error as { code?: string }).code };
    }
    this.onReply(reply);
  }

  private startWorker(): Worker {
    const worker = startStoreThread({ file: this.file, role: 'commit' });
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (error) => this.emit('error', error));
    worker.on('exit', () => {
      this.markReady?.();
      if (this.stopped) return;
      this.worker = undefined;
      this.replaceWorker();
      if (this.pending.sending) this.send(this.pending.current());
    });
    // Unref'd once ready (see onReply): until then it is what the gateway is waiting for.
    return worker;
  }

  /** A dead writer thread is replaced; one that keeps dying gives way to committing on this thread. */
  private replaceWorker(): void {
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts[0]! < now - 60_000) this.restarts.shift();
    if (this.restarts.length <= MAX_RESTARTS_PER_MINUTE) {
      this.emit('error', new Error('the log writer thread exited; restarting it'));
      this.worker = this.startWorker();
      return;
    }
    this.emit('error', new Error('the log writer thread keeps exiting; committing on the main thread from now on'));
    const db = openDatabase(this.file);
    this.inline = { committer: new RowCommitter(db), db };
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'ready') {
      if (this.drainWaiters.size === 0) this.worker?.unref();
      return this.markReady?.();
    }
    if (reply.type === 'closed' || !this.pending.sending || reply.batch !== this.nextBatch - 1) return;
    if (reply.type === 'failed') return this.onFailed(reply.message, reply.code);
    const sent = this.pending.current();
    this.pending.settle(reply.rejected.length);
    this.lastCommitAt = performance.now();
    if (reply.rejected.length > 0) {
      this.droppedCause = `the database refused the row (${reply.rejected[0]!.message})`;
      this.emit('error', new Error(`${reply.rejected.length} call(s) not logged: ${this.droppedCause}`));
    }
    const ended = this.failures.succeeded();
    if (ended) {
      this.warnedFull = false;
      this.emit('recovered', ended);
    }
    this.emit('committed', reply.rejected.length === 0 ? sent : withoutRejected(sent, reply.rejected));
    this.checkpointer.nudge();
    if (this.pending.size === 0) for (const resolve of this.drainWaiters) resolve();
    else this.schedule();
  }

  private onFailed(message: string, code: string | undefined): void {
    this.pending.putBack();
    if (this.stopped) return;
    const previous = this.failures.current;
    const delay = this.failures.failed(message, code);
    const failure = this.failures.current!;
    if (!previous || previous.cause !== failure.cause) {
      this.emit('error', new Error(`request log write failed: ${failure.cause} (${message}); holding ${this.pending.size} calls in memory and retrying`));
    }
    // Anyone draining gets the retry at once; otherwise back off while the condition lasts.
    const retry = (): void => {
      this.retryTimer = undefined;
      this.schedule();
    };
    this.retryTimer = setTimeout(retry, this.drainWaiters.size > 0 ? Math.min(delay, 250) : delay).unref();
  }
}

function withoutRejected(rows: readonly LogRow[], rejected: readonly RejectedRow[]): LogRow[] {
  const refused = new Set(rejected.map((r) => r.id));
  return rows.filter((row) => !refused.has(row.id));
}
