import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import OpenAI from 'openai';
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
function twoProviders(models: Record<string, unknown>): HarnessOptions['config'] {
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

describe('trust: keys stay with their provider', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

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
