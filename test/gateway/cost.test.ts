import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * Published prices, USD per million tokens, copied from the providers' pricing pages — written
 * out here so that the expected cost is computed independently of the price table the gateway
 * uses (@pydantic/genai-prices).
 */
const PUBLISHED = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'claude-3-5-haiku-latest': { input: 0.8, cacheWrite: 1.0, cacheRead: 0.08, output: 4 },
  'text-embedding-3-small': { input: 0.02 },
};

const close = (actual: number | null, expected: number): void => {
  assert.ok(actual !== null, 'cost is known');
  assert.ok(Math.abs(actual - expected) < 1e-12, `cost ${actual} != expected ${expected}`);
};

describe('cost = tokens × published price', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base, fake) => ({
        ...base,
        providers: [
          ...(base.providers ?? []),
          { id: 'openrouter', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['env:TEST_OPENAI_KEY'], modelPrefixes: ['google/'] },
          { id: 'local', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['env:TEST_OPENAI_KEY'], modelPrefixes: ['my-'] },
        ],
        pricing: { 'local/my-finetune': { input: 3, output: 12, cacheRead: 1 } },
      }),
    });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  for (const model of ['gpt-4o', 'gpt-4o-mini'] as const) {
    it(`${model}: uncached input, cached input and output at their own rates`, async () => {
      h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 12_000, cachedTokens: 8_000, completionTokens: 700 } }));
      const { response } = await h.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).withResponse();
      const p = PUBLISHED[model];
      const expected = (4_000 * p.input + 8_000 * p.cachedInput + 700 * p.output) / 1e6;
      close(Number(response.headers.get('x-tollgate-cost-usd')), Number(expected.toFixed(8)));
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.cachedTokens, 8_000);
      close(row!.costUsd, expected);
    });
  }

  it('o3-mini: reasoning tokens are billed as output, and logged separately', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 500, completionTokens: 2_500, reasoningTokens: 2_000 } }));
    const stream = await h.openai().chat.completions.create({ model: 'o3-mini', messages: [{ role: 'user', content: 'think' }], stream: true });
    for await (const _ of stream);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.reasoningTokens, 2_000);
    close(row!.costUsd, (500 * PUBLISHED['o3-mini'].input + 2_500 * PUBLISHED['o3-mini'].output) / 1e6);
  });

  it('claude-3-5-haiku: cache writes and cache reads at their own rates', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 10_000, cachedTokens: 6_000, cacheWriteTokens: 3_000, completionTokens: 400 } }));
    const { response } = await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 500, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const p = PUBLISHED['claude-3-5-haiku-latest'];
    const expected = (1_000 * p.input + 3_000 * p.cacheWrite + 6_000 * p.cacheRead + 400 * p.output) / 1e6;
    close(Number(response.headers.get('x-tollgate-cost-usd')), Number(expected.toFixed(8)));
    const [row] = await h.waitForRequests(1);
    close(row!.costUsd, expected);
  });

  it('text-embedding-3-small: input only', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 25_000 } }));
    await h.openai().embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    const [row] = await h.waitForRequests(1);
    close(row!.costUsd, (25_000 * PUBLISHED['text-embedding-3-small'].input) / 1e6);
  });

  it('a vendor-prefixed model on an aggregator is priced, not left unknown', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 1_000, completionTokens: 100 } }));
    await h.openai().chat.completions.create({ model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] });
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.provider, 'openrouter');
    close(row!.costUsd, (1_000 * 0.3 + 100 * 2.5) / 1e6);
  });

  it('a model with no known price is logged as price unknown, never as $0', async () => {
    const { response } = await h.openai().chat.completions.create({ model: 'my-unpriced-model', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-cost-usd'), 'unknown');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.costUsd, null);
    assert.ok(row!.promptTokens! > 0);
    const stats = await h.admin.stats({ since: Date.now() - 60_000 });
    const entry = stats.byModel.find((m) => m.model === 'my-unpriced-model');
    assert.equal(entry?.unpricedRequests, 1);
  });

  it('a price override in the config wins', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 2_000, cachedTokens: 1_000, completionTokens: 100 } }));
    await h.openai().chat.completions.create({ model: 'my-finetune', messages: [{ role: 'user', content: 'x' }] });
    const [row] = await h.waitForRequests(1);
    close(row!.costUsd, (1_000 * 3 + 1_000 * 1 + 100 * 12) / 1e6);
  });

  it('stats add up the logged costs by model', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 1_000, completionTokens: 100 } }));
    const before = await h.admin.stats({ since: Date.now() - 60_000 });
    for (let i = 0; i < 3; i++) await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await h.waitForRequests(3);
    const after = await h.admin.stats({ since: Date.now() - 60_000 });
    const spent = after.totals.costUsd - before.totals.costUsd;
    close(spent, (3 * (1_000 * 0.15 + 100 * 0.6)) / 1e6);
    assert.equal(after.totals.requests - before.totals.requests, 3);
  });
});
