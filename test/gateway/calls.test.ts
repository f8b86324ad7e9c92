import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { AdminError } from '../../daemon/gateway/api/client';
import { messageHashes } from '../../daemon/shared/message-hash';
import { startHarness, type Harness } from '../helpers/harness';

describe('calls table: filters and a call\'s detail', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true } }) });
  });
  after(() => h.close());

  const ask = (content: string) => h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content }] });

  it('filters by cache state: the repeat is the hit, the first the miss', async () => {
    await ask('Which colour is the sky?');
    await ask('Which colour is the sky?');
    await h.waitForRequests(2);
    const hits = await h.admin.requests({ cache: 'hit' });
    const misses = await h.admin.requests({ cache: 'miss' });
    assert.deepEqual([hits.requests.length, misses.requests.length], [1, 1]);
    assert.equal(hits.requests[0]!.answeredBy, misses.requests[0]!.id);
  });

  it('refuses a cache state that does not exist, saying which ones do', async () => {
    const error = await h.admin.requests({ cache: 'warm' }).catch((e: unknown) => e);
    assert.ok(error instanceof AdminError);
    assert.equal(error.status, 400);
    assert.match(error.message, /cache.*hit/);
  });

  it('splits a call\'s cost into input, cached input and output that add up to the logged cost', async () => {
    const [call] = (await h.admin.requests({ cache: 'miss' })).requests;
    const detail = await h.admin.requestDetail(call!.id);
    assert.ok(detail.costBreakdown, 'gpt-4o-mini has per-token rates');
    const { inputUsd, cachedInputUsd, outputUsd } = detail.costBreakdown;
    assert.ok(inputUsd > 0 && outputUsd > 0);
    assert.ok(Math.abs(inputUsd + cachedInputUsd + outputUsd - detail.costUsd!) < 1e-12, `${inputUsd} + ${cachedInputUsd} + ${outputUsd} vs ${detail.costUsd}`);
    assert.match(detail.requestBody ?? '', /Which colour is the sky/);
  });

  it("filters by call site: the calls whose messages include every hash of the site's prompt, as a CodeLens asks", async () => {
    const system = 'You review pull requests for security problems.';
    const review = (diff: string) => h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: system }, { role: 'user', content: diff }] });
    await review('diff --git a/x b/x');
    await review('diff --git a/y b/y');
    await ask('A call from another site');
    await h.reset(); // waits until the log has committed every call
    const site = [messageHashes(system).full, messageHashes('diff --git a/y b/y').full].join(',');
    const one = await h.admin.requests({ site });
    assert.deepEqual(one.requests.map((r) => r.requestedModel), ['gpt-4o-mini']);
    assert.match((await h.admin.requestDetail(one.requests[0]!.id)).requestBody ?? '', /a\/y b\/y/);
    assert.equal((await h.admin.requests({ site: messageHashes(system).full })).requests.length, 2, 'both calls of the review site');
    const refused = await h.admin.requests({ site: 'not-a-hash' }).catch((e: unknown) => e);
    assert.ok(refused instanceof AdminError && refused.status === 400 && /message hashes/.test(refused.message));
  });
});
