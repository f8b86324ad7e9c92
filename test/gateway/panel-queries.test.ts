import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';
import { DAY_MS, HOUR_MS, PLANTED, plantedLog } from '../helpers/planted-log';
import { plant } from '../helpers/plant';

/** What the panel's charts read over a range, on a log with planted patterns. */
describe('the panel\'s range queries', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    plant(h, plantedLog(Math.floor((Date.now() - 6 * DAY_MS) / HOUR_MS) * HOUR_MS));
  });
  after(() => h.close());

  describe('stats split by model (the stacked spend)', () => {
    it('splits every bucket into its models, adding up to the bucket', async () => {
      const stats = await h.admin.stats({ since: '7d', bucket: 'hour', split: 'model' });
      const split = stats.byBucketModel ?? [];
      assert.ok(split.length > stats.byBucket.length, 'some hours have more than one model');
      for (const bucket of stats.byBucket) {
        const parts = split.filter((part) => part.start === bucket.start);
        assert.equal(parts.reduce((sum, part) => sum + part.requests, 0), bucket.requests, `calls at ${bucket.start}`);
        assert.ok(Math.abs(parts.reduce((sum, part) => sum + part.costUsd, 0) - bucket.costUsd) < 1e-9, `spend at ${bucket.start}`);
      }
      assert.deepEqual(new Set(split.map((part) => part.model)), new Set(['gpt-4o', 'gpt-4o-mini']));
    });

    it('leaves the split out unless asked, and refuses another split', async () => {
      assert.equal((await h.admin.stats({ since: '7d' })).byBucketModel, undefined);
      await assert.rejects(h.admin.stats({ since: '7d', split: 'provider' }), /split/);
    });
  });

  describe('GET /tollgate/v1/series: time to first token, 429s and fallbacks over time', () => {
    it('counts each planted stream, 429 and fallback in its bucket', async () => {
      for (const bucket of ['hour', 'day'] as const) {
        const series = await h.admin.series({ since: '7d', bucket });
        const sum = (pick: (b: (typeof series.byBucket)[number]) => number): number => series.byBucket.reduce((total, b) => total + pick(b), 0);
        assert.deepEqual([sum((b) => b.streams), sum((b) => b.rateLimited), sum((b) => b.fallbacks)], [PLANTED.background.streamed, PLANTED.rateLimited.calls, PLANTED.fallbacks.calls], bucket);
        for (const b of series.byBucket.filter((b) => b.streams > 0)) {
          assert.ok(Math.abs(b.ttftMs.p50! - PLANTED.background.ttftMs) <= 0.1 * PLANTED.background.ttftMs, `time to first token at ${b.start}: ${b.ttftMs.p50}`);
        }
        assert.ok(series.byBucket.filter((b) => b.streams === 0).every((b) => b.ttftMs.p50 === null), 'no time to first token without a stream');
      }
    });

    it('refuses a bucket it does not know', async () => {
      await assert.rejects(h.admin.series({ bucket: 'week' }), /bucket/);
    });
  });
});
