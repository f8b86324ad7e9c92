import { z } from 'zod';
import type { PriceOverride } from '../../../pricing/price';

/** How failures are retried, timed out and waited for. */
export const resilienceSchema = z.strictObject({
  retries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('Extra rounds through all targets after a round in which every target failed (fallback within a round is free).'),
  backoffBaseMs: z.number().int().positive().default(200).describe('First retry delay; doubles each retry, with jitter.'),
  backoffMaxMs: z.number().int().positive().default(5000),
  retryOn: z
    .array(z.number().int().min(400).max(599))
    .default([408, 409, 429, 500, 502, 503, 504, 529])
    .describe('Upstream statuses worth another attempt (other 4xx are the caller\'s fault and are returned as is).'),
  timeouts: z
    .strictObject({
      connectMs: z.number().int().positive().default(10_000),
      firstByteMs: z.number().int().positive().default(120_000).describe('Until the provider starts answering.'),
      idleMs: z.number().int().positive().default(60_000).describe('Longest silence between streamed chunks.'),
    })
    .prefault({}),
  deadlineMs: z.number().int().positive().default(600_000).describe('A call gives up (retries included) after this long.'),
  maxWaitMs: z
    .number()
    .int()
    .min(0)
    .default(3000)
    .describe('When every target is cooling down, wait this long for one to free up before answering 429.'),
});

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Answer repeated identical requests from the local cache.'),
  ttlSeconds: z.number().int().positive().default(86_400).describe('How long an answer is served from the cache.'),
  maxEntries: z.number().int().positive().default(10_000).describe('Stored answers kept; the oldest go first.'),
  cacheable: z
    .enum(['deterministic', 'all'])
    .default('deterministic')
    .describe('"deterministic": only requests with temperature 0 or a seed (and embeddings); "all": sampled requests too.'),
  maxEntryBytes: z.number().int().positive().default(1024 * 1024).describe('Larger answers are not cached.'),
  memoryBytes: z.number().int().nonnegative().default(8 * 1024 * 1024).describe('Recent answers kept in memory in front of the database.'),
  coalesce: z.boolean().default(true).describe('Identical cacheable requests in flight at once share one provider call.'),
  semantic: z
    .strictObject({
      enabled: z.boolean().default(false).describe('Answer near-duplicate questions (same request, last user message reworded) from the cache.'),
      threshold: z.number().min(0.5).max(1).default(0.95).describe('Cosine similarity a stored question must reach; the guards apply on top.'),
      embedder: z
        .string()
        .regex(/^(local|[A-Za-z0-9._-]+\/.+)$/, 'embedder is "local" or "provider/model" (an embeddings model of a configured provider)')
        .default('local')
        .describe('"local": the Universal Sentence Encoder lite shipped with Tollgate (offline); or an embeddings target such as "openai/text-embedding-3-small".'),
    })
    .prefault({}),
});

export const telemetrySchema = z.strictObject({
  otlpEndpoint: z
    .url()
    .optional()
    .describe('Send each call as an OpenTelemetry span (GenAI semantic conventions) to this OTLP/HTTP traces URL, e.g. "http://127.0.0.1:4318/v1/traces". Off when unset.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Headers for the OTLP endpoint (an API key, say).'),
  serviceName: z.string().min(1).default('tollgate'),
});

export const loggingSchema = z.strictObject({
  bodies: z.boolean().default(true).describe('Store request and response bodies.'),
  bodyRetentionDays: z.number().positive().default(7),
  requestRetentionDays: z.number().positive().default(90),
  maxBodyBytes: z.number().int().positive().default(1_000_000).describe('Stored bodies are cut at this size (the client still gets everything).'),
});

export const serverSchema = z.strictObject({
  maxRequestBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024)
    .describe('Requests with a larger body are refused with 413.'),
  metricsPublic: z.boolean().default(false).describe('Serve GET /metrics without the daemon token (still on loopback only).'),
});

/** USD per million tokens, as providers publish them; the type is the price module's own. */
export const priceOverrideSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
}) satisfies z.ZodType<PriceOverride>;
