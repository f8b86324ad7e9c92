import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ConfigManager } from '../config/manager';
import { readBody } from '../http/body';
import { GatewayError } from '../http/errors';
import { sendJson } from '../http/respond';
import { admitJobs } from '../jobs/admission';
import { jobView } from '../jobs/job-view';
import type { JobRunner } from '../jobs/runner';
import type { JobSignals } from '../jobs/signals';
import { enqueue } from '../jobs/queue';
import { FINAL_STATUSES, type JobStore } from '../store/job-store';
import { isRecord, parseJson } from '../../shared/json';
import { jobRequest, jobsQuery, jobWaitQuery, manyJobsBody, type JobRequest, type JobsPage, type SubmitJobsResponse } from './job-contracts';

export interface JobsDeps {
  store: JobStore;
  signals: JobSignals;
  runner: JobRunner;
  config: ConfigManager;
}

/** Up to 10,000 requests at once, each a few kB: a submission larger than this is a mistake. */
const SUBMIT_LIMIT = 64 * 1024 * 1024;

/** POST /tollgate/v1/jobs: 202 once every job is committed, so an id the caller holds survives a crash. */
export async function submitJobs(req: IncomingMessage, res: ServerResponse, deps: JobsDeps): Promise<void> {
  const raw = parseJson((await readBody(req, SUBMIT_LIMIT)).toString('utf8'));
  // Two forms, told apart by `requests`, so that each is checked against its own schema and a
  // mistake is named precisely (a union would only say that neither form matched).
  const requests: JobRequest[] = isRecord(raw) && 'requests' in raw ? parseWith(manyJobsBody, raw, 'body').requests : [parseWith(jobRequest, raw, 'body')];
  const jobs = admitJobs(requests, deps.config.current().config.jobs.defaultDeadlineSeconds * 1000);
  enqueue(deps, jobs);
  sendJson(res, 202, { jobs: jobs.map((job) => ({ id: job.id, status: 'queued' as const })) } satisfies SubmitJobsResponse);
}

/** GET /tollgate/v1/jobs/:id[?wait=N]: with wait, answers when the job is final or N seconds pass. */
export async function getJob(res: ServerResponse, url: URL, deps: JobsDeps, id: string): Promise<void> {
  const { wait } = parseWith(jobWaitQuery, Object.fromEntries(url.searchParams), 'query');
  const until = Date.now() + (wait ?? 0) * 1000;
  let row = deps.store.get(id);
  while (row && !FINAL_STATUSES.has(row.status) && Date.now() < until && !res.destroyed) {
    await deps.signals.waitFor(id, until - Date.now());
    row = deps.store.get(id);
  }
  if (!row) throw new GatewayError(404, 'caller_not_found', `No job with id ${id.slice(0, 100)}`);
  sendJson(res, 200, jobView(row));
}

export function listJobs(res: ServerResponse, url: URL, deps: JobsDeps): void {
  const query = parseWith(jobsQuery, Object.fromEntries(url.searchParams), 'query');
  sendJson(res, 200, { jobs: deps.store.list(query).map(jobView), counts: deps.store.counts() } satisfies JobsPage);
}

/** DELETE /tollgate/v1/jobs/:id: a job not yet final is cancelled (a running call is cut); a final one is a 409. */
export function cancelJob(res: ServerResponse, deps: JobsDeps, id: string): void {
  const before = deps.store.get(id);
  if (!before) throw new GatewayError(404, 'caller_not_found', `No job with id ${id.slice(0, 100)}`);
  if (FINAL_STATUSES.has(before.status)) throw new GatewayError(409, 'caller_invalid_request', `Job ${id} is already ${before.status}; only a job not yet final can be cancelled.`);
  const after = deps.store.cancel(id)!;
  deps.runner.cancelled(id);
  deps.signals.changed(id);
  sendJson(res, 200, jobView(after));
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: 'body' | 'query'): z.infer<T> {
  if (value === undefined) throw new GatewayError(400, 'caller_invalid_json', 'The body must be a JSON object.');
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`);
  throw new GatewayError(400, 'caller_invalid_request', `Invalid ${what}: ${problems.join('; ')}`);
}
