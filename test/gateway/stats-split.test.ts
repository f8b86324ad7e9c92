import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';
import { DAY_MS, HOUR_MS, plantedLog } from '../helpers/planted-log';
import { plant } from '../helpers/plant';

describe('stats split by model (the panel\'s stacked spend)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    plant(h, plantedLog(Math.floor((Date.now() - 6 * DAY_MS) / HOUR_MS) * HOUR_MS));
  });
  after(() => h.close());

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
