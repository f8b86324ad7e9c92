import type { JobMode, JobRow, JobStore } from '../store/job-store';
import { runJobOnce, type LoopbackTarget } from './run-one';
import type { JobSignals } from './signals';

export interface RunnerOptions {
  store: JobStore;
  signals: JobSignals;
  gateway: () => LoopbackTarget;
  concurrency: () => number;
  warn: (message: string) => void;
}

/** How often queued jobs' deadlines are checked when nothing else wakes the runner. */
const IDLE_CHECK_MS = 1000;
/** Modes this runner takes: batch jobs reach it only when the batch path hands them back. */
const MODES: readonly JobMode[] = ['now'];

/**
 * The worker pool for jobs in mode "now": up to `concurrency` jobs run at once, each as a call
 * through the gateway's own pipeline. Pacing comes from that pipeline: a key at its rpm/tpm limit
 * makes the call wait, and a wait longer than the pipeline allows comes back as a 429, which puts
 * the job back in the queue until the Retry-After, never fails it.
 */
export class JobRunner {
  private readonly running = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: RunnerOptions) {
    this.unsubscribe = options.signals.onSubmit(() => this.fill());
  }

  /** Resumes what a crash interrupted, then starts taking jobs. */
  start(): void {
    const resumed = this.options.store.resumeInterrupted();
    if (resumed > 0) this.options.warn(`jobs: ${resumed} jobs were running when the gateway last stopped; they run again`);
    this.fill();
  }

  /** Stops taking jobs and cuts the calls in flight; their jobs go back to the queue (committed). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    for (const controller of this.running.values()) controller.abort();
  }

  get active(): number {
    return this.running.size;
  }

  /** Cancelling a running job cuts its call; the job is already marked cancelled. */
  cancelled(id: string): void {
    this.running.get(id)?.abort();
  }

  private fill(): void {
    if (this.stopped) return;
    try {
      for (const id of this.options.store.expireOverdue()) this.options.signals.changed(id);
      while (this.running.size < this.options.concurrency()) {
        const job = this.options.store.claimNext(MODES);
        if (!job) break;
        this.options.signals.changed(job.id);
        void this.run(job);
      }
      this.schedule();
    } catch (error) {
      // The database is closing or failing: try again shortly rather than end the daemon.
      if (!this.stopped) this.options.warn(`jobs: ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(IDLE_CHECK_MS);
    }
  }

  /** Wakes for the earliest job waiting out a Retry-After, or to check deadlines. */
  private schedule(at?: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const next = this.options.store.nextNotBefore(MODES);
    const wait = at ?? Math.min(IDLE_CHECK_MS, next === undefined ? IDLE_CHECK_MS : Math.max(5, next - Date.now()));
    this.timer = setTimeout(() => this.fill(), wait);
    this.timer.unref();
  }

  private async run(job: JobRow): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    try {
      const outcome = await runJobOnce(job, this.options.gateway(), controller.signal);
      if (this.stopped && outcome.kind === 'later') {
        this.options.store.requeue(job.id, 0, 'The gateway stopped while the job ran.');
      } else if (outcome.kind === 'later') {
        const retryAt = Date.now() + outcome.retryAfterMs;
        // Past the deadline the job expires at the next sweep instead of running late.
        this.options.store.requeue(job.id, Math.min(retryAt, job.deadlineAt), outcome.reason);
      } else {
        const ok = outcome.status < 400;
        this.options.store.finish(job.id, {
          status: ok ? 'succeeded' : 'failed',
          responseStatus: outcome.status,
          responseBody: outcome.body,
          requestId: outcome.requestId,
          error: ok ? null : `The provider answered ${outcome.status}`,
        });
      }
    } catch (error) {
      if (!this.stopped) this.options.warn(`jobs: ${job.id}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running.delete(job.id);
      this.options.signals.changed(job.id);
      this.fill();
    }
  }
}
