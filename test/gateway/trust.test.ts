import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import type { ConfigInput } from '../../daemon/gateway/config/schema';
import type { RecordedRequest } from '../fixtures/fake-upstream';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness';

/**
 * Issue 7's defects, each reproduced through the official SDK against a real gateway in front of
 * the fake provider: whose key reaches which provider, what one failure does to a key, whether
 * rate limits count real usage, and whether every call is priced.
 */

const CALLER_KEY = 'sk-callers-own-openai-key-1234567890abcdef';
const GROQ_KEY = 'gsk-gateway-held-groq-key-0000000000000000';

/** Two providers on the fake, told apart by a header each sends (as a real proxy or vendor header would). */
function twoProviders(models: ConfigInput['models']): HarnessOptions['config'] {
  return (base, fake) => ({
    ...base,
    providers: [
      { id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['env:TEST_OPENAI_KEY'], modelPrefixes: ['gpt-'], headers: { 'x-test-provider': 'openai' } },
      { id: 'groq', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [GROQ_KEY], headers: { 'x-test-provider': 'groq' } },
    ],
    models,
  });
}

const providerOf = (req: RecordedRequest): string | undefined => req.headers['x-test-provider'];

describe('trust', function () {
  this.timeout(30_000);
  /** Each test starts its own gateway, with the config its case needs; this closes it. */
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe('trust: keys stay with their provider', function () {
    it("a caller's own key reaches only its own provider across 100 calls to a loadbalance alias spanning two providers", async () => {
      h = await startHarness({
        config: twoProviders({ cheap: { strategy: 'loadbalance', targets: [{ target: 'groq/llama-3.1-8b-instant', weight: 3 }, 'openai/gpt-4o-mini'] } }),
      });
      const own = h.openai({ apiKey: CALLER_KEY });
      for (let i = 0; i < 100; i++) {
        const answer = await own.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: `call ${i}` }] });
        assert.equal(answer.model, 'gpt-4o-mini');
      }
      const seenWithCallerKey = h.fake.requests.filter((r) => r.apiKey === CALLER_KEY);
      assert.equal(seenWithCallerKey.length, 100);
      assert.deepEqual(new Set(seenWithCallerKey.map(providerOf)), new Set(['openai']), 'the caller key was only ever sent to openai');
      assert.equal(h.fake.requests.filter((r) => providerOf(r) === 'groq').length, 0);

      // The gateway's own keys still loadbalance across both providers.
      await h.reset();
      for (let i = 0; i < 40; i++) await h.openai().chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: 'x' }] });
      const groq = h.fake.requests.filter((r) => providerOf(r) === 'groq');
      assert.ok(groq.length > 10 && groq.length < 40, `groq served ${groq.length} of 40`);
      assert.ok(groq.every((r) => r.apiKey === GROQ_KEY));
    });

    it("a budget downgrade to another provider's model does not take the caller's own key there", async () => {
      const ANTHROPIC_CALLER_KEY = 'sk-ant-callers-own-key-0123456789abcdef';
      h = await startHarness({
        config: (base) => ({ ...base, budgets: { dailyUsd: 0.0000001, onLimit: 'downgrade', downgradeTo: 'openai/gpt-4o-mini' } }),
      });
      // Anthropic serves OpenAI-shaped chat too, so this caller reaches Claude with the OpenAI SDK.
      const own = h.openai({ apiKey: ANTHROPIC_CALLER_KEY });
      const ask = () => own.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
      await ask(); // spends the budget
      await assert.rejects(ask(), (error: unknown) => error instanceof OpenAI.BadRequestError && /own API key .* for provider "anthropic"/.test(error.message));
      assert.ok(h.fake.requests.every((r) => (r.json as { model: string }).model === 'claude-sonnet-4-5'), 'the key never went to the OpenAI target');
      assert.equal(h.fake.requests.filter((r) => r.apiKey === ANTHROPIC_CALLER_KEY).length, 1);
    });

    it("an alias with no target on the caller's provider is refused with a 400 that says why, before any provider is asked", async () => {
      h = await startHarness({ config: twoProviders({ fast: { targets: ['groq/llama-3.1-8b-instant'] } }) });
      await assert.rejects(
        h.openai({ apiKey: CALLER_KEY }).chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }),
        (error: unknown) => error instanceof OpenAI.BadRequestError && /own API key .* for provider "openai"/.test(error.message) && /groq\/llama-3\.1-8b-instant/.test(error.message),
      );
      assert.equal(h.fake.requests.length, 0);
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.errorClass, 'caller_key_mismatch');
    });
  });

  const KEY_A = 'sk-held-key-a-00000000000000000000';
  /** One key allowed 2,000 tokens a minute, and no waiting for it: a call over the limit gets 429 at once. */
const meteredKey: HarnessOptions['config'] = (base, fake) => ({
  ...base,
  providers: [{ id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [{ alias: 'metered', value: KEY_A, tpm: 2000 }], modelPrefixes: ['gpt-'] }],
  resilience: { maxWaitMs: 0 },
});
const ask = (client: OpenAI, model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });
  const KEY_B = 'sk-held-key-b-00000000000000000000';

  describe('trust: one failure classifier decides what happens to a key and what the log says', function () {
    const oneKey = (extra: Partial<ConfigInput> = {}): HarnessOptions['config'] => (base, fake) => ({
      ...base,
      providers: [{ id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [{ alias: 'key-a', value: KEY_A }], modelPrefixes: ['gpt-'] }],
      ...extra,
    });

    it('a 403 for one model rests that key for that model only: another model on the same key is still served', async () => {
      h = await startHarness({ config: oneKey() });
      h.fake.behave((req) =>
        (req.json as { model: string }).model === 'gpt-4.1'
          ? { kind: 'status', status: 403, code: 'model_not_found', message: 'Project proj_x does not have access to model gpt-4.1' }
          : undefined,
      );
      await assert.rejects(ask(h.openai(), 'gpt-4.1'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /does not have access to model/.test(error.message));
      const other = await ask(h.openai(), 'gpt-4o-mini');
      assert.equal(other.model, 'gpt-4o-mini', 'the key still serves other models');
      // The refused pair rests: the gateway answers for the provider, with its status, without asking again.
      await assert.rejects(ask(h.openai(), 'gpt-4.1'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /refused access to model "gpt-4.1"/.test(error.message));
      assert.deepEqual(h.fake.requests.map((r) => (r.json as { model: string }).model), ['gpt-4.1', 'gpt-4o-mini']);
      const rows = await h.waitForRequests(3);
      assert.deepEqual(rows.map((r) => [r.status, r.errorClass]).reverse(), [[403, 'provider_model_access'], [200, null], [403, 'provider_model_access']]);
    });

    it('a revoked key (401, or 403 invalid_api_key) is disabled for every model, and the log says provider_auth_error', async () => {
      h = await startHarness({ config: oneKey() });
      h.fake.behave(() => ({ kind: 'status', status: 403, code: 'invalid_api_key', message: 'Incorrect API key provided: sk-held***0000' }));
      await assert.rejects(ask(h.openai(), 'gpt-4.1'), (error: unknown) => error instanceof OpenAI.PermissionDeniedError);
      await assert.rejects(ask(h.openai(), 'gpt-4o-mini'), (error: unknown) => error instanceof OpenAI.AuthenticationError && /No usable key/.test(error.message));
      assert.equal(h.fake.requests.length, 1);
      const rows = await h.waitForRequests(2);
      assert.deepEqual(rows.map((r) => r.errorClass).reverse(), ['provider_auth_error', 'gateway_no_key']);
    });

    it("a caller's own key is never held disabled: after a quota 429 and a 401, its next calls reach the provider", async () => {
      h = await startHarness({ config: oneKey() });
      const own = h.openai({ apiKey: CALLER_KEY });
      h.fake.behave(() => ({ kind: 'rate-limit', limit: 'quota' }));
      await assert.rejects(ask(own, 'gpt-4o-mini'), (error: unknown) => error instanceof OpenAI.RateLimitError && /quota/.test(error.message));
      h.fake.behave(() => ({ kind: 'status', status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided' }));
      await assert.rejects(ask(own, 'gpt-4o-mini'), (error: unknown) => error instanceof OpenAI.AuthenticationError && /Incorrect API key/.test(error.message));
      h.fake.behave(undefined);
      const served = await ask(own, 'gpt-4o-mini');
      assert.equal(served.choices[0]?.message.content, 'Hello from the fake upstream.');
      assert.equal(h.fake.requests.filter((r) => r.apiKey === CALLER_KEY).length, 3, 'each call asked the provider');
      const rows = await h.waitForRequests(3);
      assert.deepEqual(rows.map((r) => r.errorClass).reverse(), ['provider_quota_exhausted', 'provider_auth_error', null]);
    });

    it('a quota 429 on a held key moves to the next key at once and is logged as quota, not as a rate limit', async () => {
      h = await startHarness({
        config: (base, fake) => ({
          ...base,
          providers: [{ id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [{ alias: 'key-a', value: KEY_A }, { alias: 'key-b', value: KEY_B }], modelPrefixes: ['gpt-'] }],
        }),
      });
      h.fake.behave((req) => (req.apiKey === KEY_A ? { kind: 'rate-limit', limit: 'quota' } : undefined));
      for (let i = 0; i < 4; i++) await ask(h.openai(), 'gpt-4o-mini');
      assert.equal(h.fake.requests.filter((r) => r.apiKey === KEY_A).length, 1, 'the spent key was tried once');
      const rows = await h.waitForRequests(4);
      const first = rows.find((r) => r.attempts === 2)!;
      assert.match(first.attemptLog!, /\[key-a\] 429 quota_exhausted .* > openai\/gpt-4o-mini\[key-b\] 200/);
    });
  });

  describe('trust: tokens-per-minute limits count what calls really used', function () {
    it('output tokens count: after a call that used 5,010 tokens, a tpm 2,000 key makes the next call wait (here: 429 with Retry-After)', async () => {
      h = await startHarness({ config: meteredKey });
      h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 10, completionTokens: 5000 } }));
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(await ask(h.openai(), 'gpt-4o-mini').then(() => 'served', (error: unknown) => (error instanceof OpenAI.RateLimitError ? `429 retry-after ${error.headers?.get('retry-after')}` : String(error))));
      }
      assert.equal(outcomes[0], 'served');
      assert.ok(outcomes.slice(1).every((o) => /^429 retry-after \d+$/.test(o)), outcomes.join(', '));
      // 5,010 tokens against 2,000 a minute: the key is back in about a minute and a half, not at once.
      assert.ok(Number(outcomes[1]!.split(' ').at(-1)) >= 60, outcomes[1]);
      assert.equal(h.fake.requests.length, 1, 'the provider was asked once');
    });

    it('an impossible usage figure (1e308 tokens) is not counted against the key: the next call is served', async () => {
      h = await startHarness({ config: meteredKey });
      h.fake.behave(() => ({ kind: 'ok', usage: { completionTokens: 1e308 } }));
      await ask(h.openai(), 'gpt-4o-mini');
      const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const _ of stream);
      h.fake.behave(undefined);
      const served = await ask(h.openai(), 'gpt-4o-mini');
      assert.equal(served.choices[0]?.message.content, 'Hello from the fake upstream.');
      assert.equal(h.fake.requests.length, 3);
    });

    it('streams settle too: a streamed call counts its usage when it closes', async () => {
      h = await startHarness({ config: meteredKey });
      h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 10, completionTokens: 5000 } }));
      const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const _ of stream);
      await assert.rejects(ask(h.openai(), 'gpt-4o-mini'), (error: unknown) => error instanceof OpenAI.RateLimitError);
      assert.equal(h.fake.requests.length, 1);
    });
  });

  describe('trust: every call is priced when anything identifies its price', function () {
    it('a provider renamed "mock" serving gpt-4o-mini is priced by the model name, and the row says so', async () => {
      h = await startHarness({
        config: (base, fake) => ({ ...base, providers: [{ id: 'mock', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [KEY_A] }] }),
      });
      h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 100_000, completionTokens: 10_000 } }));
      const { response } = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      // gpt-4o-mini: $0.15 in, $0.60 out per million tokens: $0.015 + $0.006.
      const expected = 0.021;
      assert.equal(response.headers.get('x-tollgate-cost-usd'), expected.toFixed(8));
      const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const _ of stream);
      const rows = await h.waitForRequests(2);
      for (const row of rows) {
        assert.equal(row.provider, 'mock');
        assert.ok(Math.abs(row.costUsd! - expected) < 1e-12, String(row.costUsd));
        assert.equal(row.priceSource, 'model_name');
        assert.equal(row.usageSource, 'provider');
      }
      const stats = await h.admin.stats({ since: Date.now() - 60_000 });
      assert.ok(Math.abs(stats.totals.costUsd - 2 * expected) < 1e-12);
      assert.equal(stats.totals.unpricedRequests, 0);
    });

    it('a model nothing prices logs cost null with priceSource "unknown", and stats count it as unpriced', async () => {
      h = await startHarness();
      const { response } = await h.openai().chat.completions.create({ model: 'gpt-nonexistent-9', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      assert.equal(response.headers.get('x-tollgate-cost-usd'), 'unknown');
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.costUsd, null);
      assert.equal(row!.priceSource, 'unknown');
      const stats = await h.admin.stats({ since: Date.now() - 60_000 });
      assert.deepEqual(stats.byModel.map((m) => [m.provider, m.model, m.unpricedRequests]), [['openai', 'gpt-nonexistent-9', 1]]);
    });
  });

  describe('trust: usage figures from a provider are checked before anyone is billed by them', function () {
    it('completion_tokens 1e308 (or negative, or beyond max_tokens) is replaced by the local count and flagged; totals and budgets stay sane', async () => {
      h = await startHarness({ config: (base) => ({ ...base, budgets: { dailyUsd: 1, onLimit: 'block' } }) });
      const hostile = [{ completionTokens: 1e308 }, { promptTokens: -5 }, { completionTokens: 5000 }];
      let n = 0;
      h.fake.behave(() => ({ kind: 'ok', usage: hostile[n++ % hostile.length] }));
      const client = h.openai();
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const _ of stream);
      await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] });
      h.fake.behave(undefined);
      const fine = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'later calls are served' }] });
      assert.equal(fine.choices[0]?.message.content, 'Hello from the fake upstream.');
      const rows = (await h.waitForRequests(4)).reverse();
      assert.deepEqual(rows.map((r) => r.usageSource), ['implausible', 'implausible', 'implausible', 'provider']);
      for (const row of rows.slice(0, 3)) {
        assert.ok(row.costEstimated);
        assert.ok(row.promptTokens! > 0 && row.promptTokens! < 100 && row.completionTokens! >= 0 && row.completionTokens! < 100, JSON.stringify(row));
        assert.ok(row.costUsd! > 0 && row.costUsd! < 0.001);
      }
      const stats = await h.admin.stats({ since: Date.now() - 60_000 });
      assert.ok(stats.totals.costUsd < 0.01 && stats.totals.completionTokens < 1000, JSON.stringify(stats.totals));
    });
  });
});
