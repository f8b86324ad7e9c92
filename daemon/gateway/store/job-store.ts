import type { Db } from './db';

export const JOB_STATUSES = ['queued', 'running', 'submitted', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobMode = 'now' | 'batch';

/** A job's state no later step changes. */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'expired', 'cancelled']);

export interface NewJob {
  id: string;
  endpoint: string;
  model: string | null;
  /** The request body as the caller sent it (JSON text), replayed as is. */
  body: string;
  mode: JobMode;
  tag: string | null;
  deadlineAt: number;
}

export interface JobRow extends NewJob {
  createdAt: number;
  updatedAt: number;
  status: JobStatus;
  attempts: number;
  notBefore: number;
  startedAt: number | null;
  finishedAt: number | null;
  requestId: string | null;
  responseStatus: number | null;
  responseBody: Buffer | null;
  error: string | null;
}

export interface JobFilter {
  status?: JobStatus | undefined;
  mode?: JobMode | undefined;
  tag?: string | undefined;
  limit: number;
  /** Only jobs created before this one (paging newest first). */
  before?: string | undefined;
}

export interface JobOutcome {
  status: 'succeeded' | 'failed';
  responseStatus: number;
  responseBody: Buffer;
  requestId: string | null;
  error: string | null;
  /** What a batch discount saved on this job. */
  savedUsd?: number | null;
}

/** Jobs finished in a range, what their calls cost and what batching saved. */
export interface DeferredSpend {
  jobs: number;
  costUsd: number;
  savedUsd: number;
}

const COLUMNS = `id, endpoint, model, body, mode, tag, deadline_at AS deadlineAt, created_at AS createdAt, updated_at AS updatedAt,
  status, attempts, not_before AS notBefore, started_at AS startedAt, finished_at AS finishedAt, request_id AS requestId,
  response_status AS responseStatus, response_body AS responseBody, error`;

/**
 * The job queue in SQLite, on the daemon's own connection: every write is committed when the
 * method returns (better-sqlite3 is synchronous), which is what lets the API answer 202 only
 * for jobs that would survive a crash. State changes are guarded by the state they leave, so a
 * job finishes at most once however the runner and a cancel interleave.
 */
export class JobStore {
  constructor(private readonly db: Db) {}

  insert(jobs: readonly NewJob[], now = Date.now()): void {
    const insert = this.db.prepare(
      `INSERT INTO jobs (id, created_at, updated_at, endpoint, model, body, mode, tag, deadline_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')`,
    );
    this.db.transaction(() => {
      for (const job of jobs) insert.run(job.id, now, now, job.endpoint, job.model, job.body, job.mode, job.tag, job.deadlineAt);
    })();
  }

  get(id: string): JobRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
  }

  list(filter: JobFilter): JobRow[] {
    const conditions: [string, string | number | undefined][] = [
      ['status = ?', filter.status],
      ['mode = ?', filter.mode],
      ['tag = ?', filter.tag],
      ['seq < (SELECT seq FROM jobs WHERE id = ?)', filter.before],
    ];
    const used = conditions.filter((c): c is [string, string | number] => c[1] !== undefined);
    const where = used.map(([sql]) => sql);
    const params = used.map(([, value]) => value);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.db.prepare(`SELECT ${COLUMNS} FROM jobs ${clause} ORDER BY seq DESC LIMIT ?`).all(...params, filter.limit) as JobRow[];
  }

  counts(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  /** Deferred spend: finished jobs joined to their calls' log rows (requests.id is unique, so indexed). */
  spend(since: number, until = Date.now()): DeferredSpend {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS jobs, COALESCE(SUM(r.cost_usd), 0) AS costUsd, COALESCE(SUM(j.saved_usd), 0) AS savedUsd
         FROM jobs j LEFT JOIN requests r ON r.id = j.request_id
         WHERE j.status IN ('succeeded', 'failed') AND j.finished_at >= ? AND j.finished_at < ?`,
      )
      .get(since, until) as DeferredSpend;
  }

  /** The oldest runnable job of `modes`, marked running (one more attempt) in the same transaction. */
  claimNext(modes: readonly JobMode[], now = Date.now()): JobRow | undefined {
    const marks = modes.map(() => '?').join(', ');
    const pick = this.db.prepare(`SELECT id FROM jobs WHERE status = 'queued' AND not_before <= ? AND mode IN (${marks}) ORDER BY not_before, seq LIMIT 1`);
    const mark = this.db.prepare(`UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'`);
    return this.db.transaction(() => {
      const row = pick.get(now, ...modes) as { id: string } | undefined;
      if (!row) return undefined;
      mark.run(now, now, row.id);
      return this.get(row.id);
    })();
  }

  /** When the earliest queued job that waits (after a 429) may run; undefined when none waits. */
  nextNotBefore(modes: readonly JobMode[]): number | undefined {
    const marks = modes.map(() => '?').join(', ');
    const row = this.db.prepare(`SELECT MIN(not_before) AS at FROM jobs WHERE status = 'queued' AND mode IN (${marks})`).get(...modes) as { at: number | null };
    return row.at ?? undefined;
  }

  /** Queued jobs whose deadline passed: expired, with the ids so that waiters can be told. */
  expireOverdue(now = Date.now()): string[] {
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id FROM jobs WHERE status = 'queued' AND deadline_at <= ?`).all(now) as { id: string }[]).map((r) => r.id);
      if (ids.length > 0) {
        this.db
          .prepare(`UPDATE jobs SET status = 'expired', finished_at = ?, updated_at = ?, error = 'The deadline passed before the job could run.' WHERE status = 'queued' AND deadline_at <= ?`)
          .run(now, now, now);
      }
      return ids;
    })();
  }

  /** Records a running job's answer; false when the job is no longer running (cancelled meanwhile). */
  finish(id: string, outcome: JobOutcome, now = Date.now()): boolean {
    const result = this.db
      .prepare(
        `UPDATE jobs SET status = ?, response_status = ?, response_body = ?, request_id = ?, error = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND status = 'running'`,
      )
      .run(outcome.status, outcome.responseStatus, outcome.responseBody, outcome.requestId, outcome.error, now, now, id);
    return result.changes === 1;
  }

  /** A running job that must try again later (rate-limited, or the gateway stopped under it). */
  requeue(id: string, notBefore: number, reason: string, now = Date.now()): boolean {
    const result = this.db.prepare(`UPDATE jobs SET status = 'queued', not_before = ?, error = ?, updated_at = ? WHERE id = ? AND status = 'running'`).run(notBefore, reason, now, id);
    return result.changes === 1;
  }

  /** Cancels a job that has not finished; returns the job as it now stands. */
  cancel(id: string, now = Date.now()): JobRow | undefined {
    this.db
      .prepare(`UPDATE jobs SET status = 'cancelled', finished_at = ?, updated_at = ?, error = 'Cancelled by the caller.' WHERE id = ? AND status IN ('queued', 'running', 'submitted')`)
      .run(now, now, id);
    return this.get(id);
  }

  /**
   * After a crash, jobs that were running had no answer recorded: they run again. Their first
   * call may have reached the provider; the job still finishes once, with the answer recorded.
   */
  resumeInterrupted(now = Date.now()): number {
    return this.db.prepare(`UPDATE jobs SET status = 'queued', not_before = 0, updated_at = ? WHERE status = 'running'`).run(now).changes;
  }
}
