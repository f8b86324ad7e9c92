import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * An alias's budget governs calls to that alias only. Found by the fuzz suite: once an alias's
 * budget was spent, every call outside any alias failed with a 500 (checkBudgets looked the
 * spent alias budget up under the call's own, absent, alias).
 */
describe('budget scope', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        models: {
          capped: { targets: ['openai/gpt-4o'], budget: { dailyUsd: 0.0000001, onLimit: 'block' } },
          thrifty: { targets: ['openai/gpt-4o'], budget: { dailyUsd: 0.0000001, onLimit: 'downgrade', downgradeTo: 'gpt-4o-mini' } },
        },
      }),
    });
  });
  after(() => h.close());

  it('leaves calls outside any alias alone once an alias budget is spent', async () => {
    const call = (model: string) => h.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    await call('capped');
    await call('thrifty');
    await assert.rejects(call('capped'), (error: { status?: number }) => error.status === 402);
    const downgraded = await call('thrifty');
    assert.equal(downgraded.response.headers.get('x-tollgate-budget-downgraded'), 'thrifty -> gpt-4o-mini');
    const plain = await call('gpt-4o');
    assert.equal(plain.data.choices[0]?.message.content, 'Hello from the fake upstream.');
    assert.equal(plain.response.headers.get('x-tollgate-budget-remaining'), null, 'no budget applies to it');
    const rows = await h.waitForRequests(5);
    assert.deepEqual(rows.map((r) => r.status), [200, 200, 402, 200, 200]);
  });
});
