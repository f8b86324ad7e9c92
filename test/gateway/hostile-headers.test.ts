import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * Tollgate echoes model names in its response headers (x-tollgate-model, and
 * x-tollgate-budget-downgraded). Node throws on a header value with a control character or a
 * character beyond Latin-1, and one such model name used to end the daemon (issue 13). Such
 * values now go out percent-encoded (decodeURIComponent gives them back); the call is served
 * and logged as usual, with the names as they were sent.
 */
describe('model names no header can carry', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        models: {
          // An alias whose budget is spent after one call: the downgrade header names it.
          '日本-smart': { targets: ['openai/gpt-4o'], budget: { dailyUsd: 0.0000001, onLimit: 'downgrade', downgradeTo: 'gpt-4o-mini' } },
        },
      }),
    });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const names = ['gpt-4o-mini-日本', 'gpt-4o-\u0007bell', 'gpt-4o-\r\nx-injected: 1', 'gpt-4o-café'];
  for (const model of names) {
    it(`serves ${JSON.stringify(model)} and sends it percent-encoded in x-tollgate-model`, async () => {
      const { data, response } = await h.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      assert.equal(data.choices[0]?.message.content, 'Hello from the fake upstream.');
      assert.equal(response.headers.get('x-tollgate-model'), encodeURIComponent(model));
      assert.equal(response.headers.get('x-injected'), null);
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.status, 200);
      assert.equal(row!.requestedModel, model);
    });
  }

  it('streams for such a model, and the Anthropic SDK gets its answer too', async () => {
    const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-日本', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Hello from the fake upstream.');
    const { data, response } = await h.anthropic().messages.create({ model: 'claude-日本\u0000', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(data.type, 'message');
    assert.equal(response.headers.get('x-tollgate-model'), 'claude-%E6%97%A5%E6%9C%AC%00');
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.status), [200, 200]);
  });

  it('encodes a served model name the provider sends, and logs it as sent', async () => {
    const served = 'gpt-4o-2025-\u0000\u202e日本';
    h.fake.behave(() => ({ kind: 'ok', servedModel: served }));
    const { response } = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(decodeURIComponent(response.headers.get('x-tollgate-model') ?? ''), served);
    const stream = await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const _ of stream);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.status, r.servedModel]), [[200, served], [200, served]]);
  });

  it('cuts a very long name to 256 characters before encoding it', async () => {
    const model = `gpt-${'é'.repeat(5000)}`;
    const { response } = await h.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(decodeURIComponent(response.headers.get('x-tollgate-model') ?? ''), model.slice(0, 256));
    await h.waitForRequests(1);
  });

  it('encodes the requested name in x-tollgate-budget-downgraded', async () => {
    const call = () => h.openai().chat.completions.create({ model: '日本-smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    await call();
    const { response } = await call();
    assert.equal(decodeURIComponent(response.headers.get('x-tollgate-budget-downgraded') ?? ''), '日本-smart -> gpt-4o-mini');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.status), [200, 200]);
  });
});
