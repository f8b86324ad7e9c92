import { z } from 'zod';

/** Deferred jobs (POST /tollgate/v1/jobs, x-tollgate-defer). */
export const jobsSchema = z.strictObject({
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('Jobs in mode "now" run at most this many at once; the keys\' rpm/tpm limits pace them further.'),
  defaultDeadlineSeconds: z.number().int().positive().default(86_400).describe('A job that gives no deadline must finish within this long, else it expires.'),
});
