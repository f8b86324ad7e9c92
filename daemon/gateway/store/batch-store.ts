import type { Db } from './db';
import type { JobOutcome } from './job-store';

export type BatchState = 'preparing' | 'uploaded' | 'submitted' | 'done';

export interface BatchRow {
  id: string;
  provider: string;
  model: string;
  endpoint: string;
  state: BatchState;
  inputFileId: string | null;
  providerBatchId: string | null;
  createdAt: number;
}

/** A batch-mode job waiting for a batch, as the batcher groups it. */
export interface WaitingJob {
  id: string;
  endpoint: string;
  model: string | null;
  body: string;
  tag: string | null;
  createdAt: number;
  deadlineAt: number;
}

const BATCH_COLUMNS = `id, provider, model, endpoint, state, input_file_id AS inputFileId, provider_batch_id AS providerBatchId, created_at AS createdAt`;

/**
 * The provider batches made of jobs, and the jobs' part in them. Each step is committed before
 * the next provider call: a batch is created with its jobs chosen, its input file id is kept
 * before the batch is submitted, and its provider id before it is polled.
 */
export class BatchStore {
  constructor(private readonly db: Db) {}

  /** Batch-mode jobs in no batch yet, oldest first. */
  waiting(): WaitingJob[] {
    return this.db
      .prepare(`SELECT id, endpoint, model, body, tag, created_at AS createdAt, deadline_at AS deadlineAt FROM jobs WHERE mode = 'batch' AND status = 'queued' AND batch_id IS NULL ORDER BY seq`)
      .all() as WaitingJob[];
  }

  /**
   * Jobs that will not go (or no longer wait) in a provider batch run now instead, while their
   * deadline allows: a batch answer that arrives for them later is ignored (finishFromBatch).
   */
  runNow(ids: readonly string[], reason: string, now = Date.now()): void {
    const update = this.db.prepare(`UPDATE jobs SET mode = 'now', status = 'queued', not_before = 0, error = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')`);
    this.db.transaction(() => {
      for (const id of ids) update.run(reason, now, id);
    })();
  }

  create(batch: Pick<BatchRow, 'id' | 'provider' | 'model' | 'endpoint'>, jobIds: readonly string[], now = Date.now()): void {
    const assign = this.db.prepare(`UPDATE jobs SET batch_id = ?, updated_at = ? WHERE id = ? AND status = 'queued' AND batch_id IS NULL`);
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO job_batches (id, provider, model, endpoint, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'preparing', ?, ?)`)
        .run(batch.id, batch.provider, batch.model, batch.endpoint, now, now);
      for (const id of jobIds) assign.run(batch.id, now, id);
    })();
  }

  open(): BatchRow[] {
    return this.db.prepare(`SELECT ${BATCH_COLUMNS} FROM job_batches WHERE state != 'done' ORDER BY created_at`).all() as BatchRow[];
  }

  /** The batch's jobs still waiting for its answer (cancelled or fallen-back jobs are not). */
  jobsOf(batchId: string): WaitingJob[] {
    return this.db
      .prepare(`SELECT id, endpoint, model, body, tag, created_at AS createdAt, deadline_at AS deadlineAt FROM jobs WHERE batch_id = ? AND status IN ('queued', 'submitted') AND mode = 'batch' ORDER BY seq`)
      .all(batchId) as WaitingJob[];
  }

  uploaded(id: string, inputFileId: string, now = Date.now()): void {
    this.db.prepare(`UPDATE job_batches SET state = 'uploaded', input_file_id = ?, updated_at = ? WHERE id = ?`).run(inputFileId, now, id);
  }

  submitted(id: string, providerBatchId: string, now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE job_batches SET state = 'submitted', provider_batch_id = ?, provider_status = 'validating', updated_at = ? WHERE id = ?`).run(providerBatchId, now, id);
      this.db.prepare(`UPDATE jobs SET status = 'submitted', started_at = ?, attempts = attempts + 1, updated_at = ? WHERE batch_id = ? AND status = 'queued' AND mode = 'batch'`).run(now, now, id);
    })();
  }

  providerStatus(id: string, status: string, now = Date.now()): void {
    this.db.prepare(`UPDATE job_batches SET provider_status = ?, updated_at = ? WHERE id = ?`).run(status, now, id);
  }

  close(id: string, error: string | null, now = Date.now()): void {
    this.db.prepare(`UPDATE job_batches SET state = 'done', error = ?, updated_at = ? WHERE id = ?`).run(error, now, id);
  }

  /** A batch line's answer; false when the job is no longer waiting on the batch (cancelled, or running now). */
  finishFromBatch(jobId: string, batchId: string, outcome: JobOutcome, now = Date.now()): boolean {
    const result = this.db
      .prepare(
        `UPDATE jobs SET status = ?, response_status = ?, response_body = ?, request_id = ?, error = ?, saved_usd = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND batch_id = ? AND status = 'submitted' AND mode = 'batch'`,
      )
      .run(outcome.status, outcome.responseStatus, outcome.responseBody, outcome.requestId, outcome.error, outcome.savedUsd ?? null, now, now, jobId, batchId);
    return result.changes === 1;
  }
}
