import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * Model names that are also names of Object.prototype members. Found by the fuzz suite: looked
 * up in the config's plain objects, "__proto__" found Object.prototype, so it was taken for an
 * alias (a 500), and "openai/__proto__" for a price override (a NaN cost, which failed the
 * whole batch of log rows committed with it: every call in that batch went unlogged).
 */
describe('model names that are Object.prototype members', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, models: { smart: { targets: ['openai/gpt-4o'] } }, pricing: { 'my-model': { input: 1, output: 1 } } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  it('serves them as plain model names, and every call around them is logged', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'openai/__proto__', 'openai/constructor', 'anthropic/valueOf'];
    const calls = names.map((model) =>
      model.startsWith('anthropic/')
        ? h.anthropic().messages.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).then((m) => m.type)
        : h.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).then((c) => c.object),
    );
    const neighbours = Array.from({ length: 10 }, () => h.openai().chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'x' }] }).then((c) => c.object));
    assert.deepEqual(await Promise.all(calls), ['chat.completion', 'chat.completion', 'chat.completion', 'chat.completion', 'chat.completion', 'chat.completion', 'message']);
    await Promise.all(neighbours);
    const rows = await h.waitForRequests(names.length + 10);
    assert.ok(rows.every((row) => row.status === 200 && (row.costUsd === null || Number.isFinite(row.costUsd))), JSON.stringify(rows.map((r) => [r.requestedModel, r.costUsd])));
  });
});
