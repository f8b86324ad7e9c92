import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import { sleep, startHarness, type Harness } from '../helpers/harness';

/**
 * Budgets under concurrency: admission holds each call's expected cost until its real cost is
 * known, so calls in flight count against the limit. Before, fifty concurrent calls against a
 * $1 budget with $0.90 spent all passed the check and ended at $4.65.
 */
describe('budgets hold under concurrency', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** About 5,600 tokens of prompt: each call costs ~$0.014 on gpt-4o ($2.50 per million input). */
  const PROMPT = Array.from({ length: 400 }, (_, i) => `Line ${i}: summarise the quarterly figures for region ${i % 7}.`).join('\n');
  const LIMIT = 0.05;

  it('50 concurrent priced calls at the limit overshoot it by at most one call', async () => {
    h = await startHarness({ config: (base) => ({ ...base, budgets: { dailyUsd: LIMIT, onLimit: 'block' } }), fake: { defaults: { latencyMs: 300 } } });
    const client = h.openai();
    const ask = () => client.chat.completions.create({ model: 'gpt-4o', max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] });
    // Most of the budget spent first, one call at a time (as on a busy day).
    let spent = 0;
    let calls = 0;
    while (spent < LIMIT * 0.8) {
      const { response } = await ask().withResponse();
      spent += Number(response.headers.get('x-tollgate-cost-usd'));
      calls++;
    }
    const oneCall = spent / calls;
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => ask().then(() => 'served', (error: unknown) => (error instanceof OpenAI.APIError ? String(error.status) : String(error)))));
    const served = outcomes.filter((o) => o === 'served').length;
    assert.ok(outcomes.every((o) => o === 'served' || o === '402'), outcomes.join(','));
    assert.ok(served >= 1 && served < 10, `${served} of 50 admitted`);
    await sleep(50);
    const stats = await h.admin.stats({ since: Date.now() - 600_000 });
    const total = stats.totals.costUsd;
    console.log(`      one call $${oneCall.toFixed(5)}; spent before $${spent.toFixed(4)}; ${served} of 50 admitted; total $${total.toFixed(4)} against $${LIMIT} (overshoot $${Math.max(0, total - LIMIT).toFixed(5)})`);
    assert.ok(total <= LIMIT + oneCall * 1.001, `total $${total} exceeds the limit by more than one call ($${oneCall})`);
    const budget = stats.budgets!.find((b) => b.period === 'day')!;
    assert.equal(budget.reservedUsd, 0, 'every reservation was settled');
    assert.ok(Math.abs(budget.spentUsd - total) < 1e-9);
  });

  it('a call that fails or is refused releases what it held', async () => {
    h = await startHarness({ config: (base) => ({ ...base, budgets: { dailyUsd: LIMIT, onLimit: 'block' } }) });
    h.fake.behave(() => ({ kind: 'status', status: 500, message: 'boom' }));
    // Twelve failures in waves of three: each wave holds ~$0.042 while in flight, the whole run ~$0.17.
    for (let wave = 0; wave < 4; wave++) {
      const failures = await Promise.all(Array.from({ length: 3 }, () => h!.openai().chat.completions.create({ model: 'gpt-4o', max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] }).catch((error: unknown) => error)));
      assert.ok(failures.every((error) => error instanceof OpenAI.InternalServerError), String(failures));
    }
    h.fake.behave(undefined);
    const { data: later, response } = await h.openai().chat.completions.create({ model: 'gpt-4o', max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
    assert.ok(later.choices[0]?.message.content, 'nothing the failed calls held is still held');
    const budget = (await h.admin.stats({})).budgets!.find((b) => b.period === 'day')!;
    assert.equal(budget.reservedUsd, 0);
    assert.ok(Math.abs(budget.spentUsd - Number(response.headers.get('x-tollgate-cost-usd'))) < 1e-7, 'only the served call is spent');
  });
});
