import { z } from 'zod';
import { statsApiQuery } from './contracts';

/**
 * GET /tollgate/v1/series: per bucket, what the stats do not split by time: streams' time to first
 * token, calls that met a 429, calls a fallback target served. From hourly rollups, so a bucket is
 * whole hours (the range's first hour counts whole). Browser-safe (the panel imports it).
 */
export const seriesQuery = statsApiQuery.omit({ split: true });

export const seriesResponse = z.object({
  since: z.number(),
  until: z.number(),
  byBucket: z.array(
    z.object({
      start: z.number(),
      streams: z.number(),
      /** Over the bucket's successful streams; null without any. */
      ttftMs: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }),
      rateLimited: z.number(),
      fallbacks: z.number(),
    }),
  ),
});
export type SeriesResponse = z.infer<typeof seriesResponse>;
