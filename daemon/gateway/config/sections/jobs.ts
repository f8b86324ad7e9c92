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
  batch: z
    .strictObject({
      maxSize: z.number().int().min(1).max(50_000).default(1000).describe('A provider batch is submitted when this many jobs for one provider and model wait.'),
      maxAgeSeconds: z.number().min(0).default(60).describe('…or when the oldest of them has waited this long.'),
      pollMs: z.number().int().min(10).default(10_000).describe('How often submitted batches are asked for their status.'),
      fallbackSeconds: z
        .number()
        .min(0)
        .default(3600)
        .describe('A job still in a batch this close to its deadline leaves it and runs now (a batch can take up to 24 h).'),
      discounts: z
        .record(z.string(), z.number().min(0).max(1))
        .default({})
        .describe('Batch discount by provider id, as a fraction (0.5 = half price); default from the price table.'),
    })
    .prefault({}),
});

/** Requests Tollgate folds together on their way upstream. */
export const batchingSchema = z.strictObject({
  embeddings: z
    .strictObject({
      windowMs: z.number().int().min(1).max(1000).default(5).describe('Embedding calls for the same model arriving within this window share one upstream request.'),
      maxInputs: z.number().int().min(2).max(2048).default(256).describe('A shared request is sent at once when it holds this many inputs (OpenAI takes up to 2048).'),
    })
    .optional()
    .describe('Embedding micro-batching; off unless this section is present.'),
});
