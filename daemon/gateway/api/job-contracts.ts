import { z } from 'zod';
import { JOB_STATUSES } from '../store/job-store';
import { spanMs } from './contracts';

/** "90" or 90 (seconds), "30s", "15m", "24h", "2d" → milliseconds. */
const deadline = z.union([
  z.number().int().positive().transform((seconds) => seconds * 1000),
  z.string().regex(/^\d+(s|m|h|d)?$/, 'deadline is seconds, or a number with s, m, h or d (e.g. "24h")').transform(spanMs),
]);

export const jobMode = z.enum(['now', 'batch']);

/** One deferred request: what a direct call would have sent, and where. */
export const jobRequest = z.strictObject({
  endpoint: z.string({ error: 'endpoint is required, e.g. "/v1/chat/completions"' }),
  body: z.record(z.string(), z.unknown(), { error: 'body must be the JSON object a direct call would send' }),
  mode: jobMode.default('now'),
  deadline: deadline.optional(),
  tag: z.string().max(200).optional(),
});
export type JobRequest = z.infer<typeof jobRequest>;

/** POST /tollgate/v1/jobs takes one request, or many at once (committed together) in this form. */
export const manyJobsBody = z.strictObject({ requests: z.array(jobRequest).min(1, 'requests must not be empty').max(10_000) });

export const jobsQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  mode: jobMode.optional(),
  tag: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Paging: jobs submitted before the job with this id. */
  before: z.string().optional(),
});

export const jobWaitQuery = z.strictObject({
  /** Long-poll: answer when the job is final or after this many seconds, whichever is first. */
  wait: z.coerce.number().min(0).max(300).optional(),
});

export const jobView = z.object({
  id: z.string(),
  object: z.literal('tollgate.job'),
  status: z.enum(JOB_STATUSES),
  mode: jobMode,
  endpoint: z.string(),
  model: z.string().nullable(),
  tag: z.string().nullable(),
  attempts: z.number(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  deadlineAt: z.number(),
  /** The log row of the call that answered (GET /tollgate/v1/requests/:id). */
  requestId: z.string().nullable(),
  error: z.string().nullable(),
  /** When the job ran: the provider's answer as a direct call would have returned it. */
  response: z.object({ status: z.number(), body: z.unknown() }).nullable(),
});
export type JobView = z.infer<typeof jobView>;

export const submitJobsResponse = z.object({ jobs: z.array(z.object({ id: z.string(), status: z.enum(JOB_STATUSES) })) });
export type SubmitJobsResponse = z.infer<typeof submitJobsResponse>;

export const jobsPage = z.object({ jobs: z.array(jobView), counts: z.record(z.string(), z.number()) });
export type JobsPage = z.infer<typeof jobsPage>;
