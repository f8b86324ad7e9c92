import type { JobStore, NewJob } from '../store/job-store';
import type { JobSignals } from './signals';

export interface JobQueue {
  store: JobStore;
  signals: JobSignals;
}

/** Commits the jobs (one transaction), then wakes the runner: the caller answers 202 after this returns. */
export function enqueue(queue: JobQueue, jobs: readonly NewJob[]): void {
  queue.store.insert(jobs);
  queue.signals.submitted();
}
