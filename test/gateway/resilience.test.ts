import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import type { RecordedRequest, Scenario } from '../fixtures/fake-upstream';
import { sleep, startHarness, type Harness, type HarnessOptions } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

const KEY_A = 'sk-key-a-0000000000000000';
const KEY_B = 'sk-key-b-0000000000000000';
const KEY_C = 'sk-key-c-0000000000000000';

/** Three keys across two providers, all on the fake upstream; alias "chaos" falls back from one to the other. */
function threeKeys(extra: Record<string, unknown> = {}): HarnessOptions['config'] {
  return (base, fake) => ({
    ...base,
    providers: [
      { id: 'primary', type: 'openai', baseUrl: fake.openaiBaseUrl, pricingId: 'openai', apiKeys: [{ alias: 'key-a', value: KEY_A }, { alias: 'key-b', value: KEY_B }] },
      { id: 'backup', type: 'openai', baseUrl: fake.openaiBaseUrl, pricingId: 'openai', apiKeys: [{ alias: 'key-c', value: KEY_C }] },
    ],
    models: { chaos: { targets: ['primary/gpt-4o-mini', 'backup/gpt-4o-mini'] } },
    resilience: { backoffBaseMs: 20, maxWaitMs: 2000 },
    ...extra,
  });
}

/** Deterministic per-key misbehaviour: the n-th request on a key fails when pick(n) says so. */
function perKey(rules: Record<string, (n: number) => Scenario | undefined>): (req: RecordedRequest) => Scenario | undefined {
  const counts = new Map<string, number>();
  return (req) => {
    const key = req.apiKey ?? '';
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    return rules[key]?.(n);
  };
}

describe('resilience: keys, fallback, Retry-After, timeouts, budgets', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  after(async () => h?.close());

  const ask = (client: OpenAI, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({ model: 'chaos', messages: [{ role: 'user', content: 'hello' }], ...extra });

  it('chaos: 1,000 calls at 50 concurrent all succeed while one key 429s 30 % and another resets 10 %; each is logged once with its attempts', async () => {
    h = await startHarness({ config: threeKeys() });
    h.fake.behave(
      perKey({
        [KEY_A]: (n) => (n % 10 < 3 ? { kind: 'rate-limit', retryAfterSeconds: null, retryAfterMs: 200 } : undefined),
        [KEY_B]: (n) => (n % 10 === 9 ? { kind: 'reset-before-headers' } : undefined),
      }),
    );
    const client = h.openai();
    let next = 0;
    const failures: string[] = [];
    const worker = async (): Promise<void> => {
      while (next < 1000) {
        next++;
        await ask(client).catch((error: unknown) => failures.push(String(error)));
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    assert.deepEqual(failures, []);
    const rows = await allRows(h, 1000);
    assert.equal(rows.length, 1000, 'every call logged exactly once');
    assert.equal(new Set(rows.map((r) => r.id)).size, 1000);
    assert.ok(rows.every((r) => r.status === 200));
    const attempts = rows.reduce((sum, r) => sum + r.attempts, 0);
    assert.equal(attempts, h.fake.requests.length, 'the log accounts for every attempt the provider saw');
    const retried = rows.filter((r) => r.attempts > 1);
    assert.ok(retried.length > 0 && retried.every((r) => r.attemptLog && / > /.test(r.attemptLog)), 'retries are visible in the attempt log');
    assert.ok(rows.some((r) => /rate_limited/.test(r.attemptLog ?? '')) && rows.some((r) => /\breset\b/.test(r.attemptLog ?? '')));
  });

  it('every key rate-limited: 429 with the earliest Retry-After, and no key asked twice within its cooldown', async () => {
    h = await startHarness({ config: threeKeys() });
    h.fake.behave(() => ({ kind: 'rate-limit', retryAfterSeconds: 30 }));
    const first = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body: JSON.stringify({ model: 'chaos', messages: [{ role: 'user', content: 'x' }] }), headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(first.status, 429);
    assert.equal(h.fake.requests.length, 3, 'one attempt per key');
    assert.deepEqual(new Set(h.fake.requests.map((r) => r.apiKey)), new Set([KEY_A, KEY_B, KEY_C]));
    const retryAfter = Number(first.headers['retry-after']);
    assert.ok(retryAfter >= 29 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    const later = await Promise.all(Array.from({ length: 20 }, () => ask(h!.openai()).catch((error: unknown) => error)));
    assert.ok(later.every((error) => error instanceof OpenAI.RateLimitError && Number(error.headers?.get('retry-after')) <= 30));
    assert.equal(h.fake.requests.length, 3, 'no key was tried again while cooling down');
    const rows = await h.waitForRequests(21);
    assert.ok(rows.every((r) => r.status === 429 && r.errorClass === 'provider_rate_limited'));
  });

  it('waits for a key that frees up within maxWaitMs instead of failing', async () => {
    h = await startHarness({ config: threeKeys() });
    h.fake.behave((req) => (req.index < 3 ? { kind: 'rate-limit', retryAfterSeconds: null, retryAfterMs: 400 } : undefined));
    const started = Date.now();
    const result = await ask(h.openai());
    assert.equal(result.choices[0]?.message.content, 'Hello from the fake upstream.');
    assert.ok(Date.now() - started >= 380, 'it waited for the cooldown');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.attempts, 4);
  });

  it('never retries a caller fault, and disables a rejected key until the config changes', async () => {
    h = await startHarness({ config: threeKeys() });
    h.fake.behave(perKey({ [KEY_A]: () => ({ kind: 'status', status: 401, message: 'Incorrect API key provided' }) }));
    for (let i = 0; i < 4; i++) await ask(h.openai());
    assert.equal(h.fake.requests.filter((r) => r.apiKey === KEY_A).length, 1, 'key A was tried once, then left alone');
    await h.reset();
    h.fake.behave(() => ({ kind: 'status', status: 400, message: "'messages' is too short", code: 'invalid_value' }));
    await assert.rejects(ask(h.openai()), (error: unknown) => error instanceof OpenAI.BadRequestError && /too short/.test(error.message));
    assert.equal(h.fake.requests.length, 1, 'a 400 is the caller’s fault: returned as is, never retried');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.attempts, 1);
  });

  it('falls back to a larger-context target when the prompt is too long', async () => {
    h = await startHarness({
      config: threeKeys({ models: { chaos: { targets: ['primary/gpt-4o-mini'], largerContext: 'backup/gpt-4.1' } } }),
    });
    h.fake.behave((req) =>
      (req.json as { model: string }).model === 'gpt-4o-mini'
        ? { kind: 'status', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." }
        : undefined,
    );
    const result = await ask(h.openai());
    assert.equal(result.model, 'gpt-4.1');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.servedModel, 'gpt-4.1');
    assert.match(row!.attemptLog!, /primary\/gpt-4o-mini\[key-(a|b)\] 400 context_exceeded .* > backup\/gpt-4.1\[key-c\] 200/);
  });

  it('streams: a failure before the first byte falls back; the first-byte timeout counts as one', async () => {
    h = await startHarness({ config: threeKeys({ resilience: { backoffBaseMs: 20, timeouts: { firstByteMs: 300 } } }) });
    h.fake.behave(perKey({ [KEY_A]: () => ({ kind: 'stall' }), [KEY_B]: () => ({ kind: 'reset-before-headers' }) }));
    for (let i = 0; i < 2; i++) {
      const stream = await h.openai().chat.completions.create({ model: 'chaos', messages: [{ role: 'user', content: 'x' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'Hello from the fake upstream.');
    }
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.attempts), [2, 2]);
    const logs = rows.map((r) => r.attemptLog).join('\n');
    assert.match(logs, /\[key-a\] timeout/);
    assert.match(logs, /\[key-b\] reset/);
    assert.ok(rows.every((r) => r.status === 200 && r.keyAlias === 'key-c'));
  });

  it('streams: a failure after the first byte ends in an error event the SDK raises, logged as failed, not retried', async () => {
    h = await startHarness({ config: threeKeys({ resilience: { timeouts: { idleMs: 300 } } }) });
    h.fake.behave(perKey({ [KEY_A]: () => ({ kind: 'stall', afterEvents: 2 }), [KEY_B]: () => ({ kind: 'reset-mid-stream', afterEvents: 2 }) }));
    const messages = [];
    for (let i = 0; i < 2; i++) {
      const stream = await h.openai().chat.completions.create({ model: 'chaos', messages: [{ role: 'user', content: 'x' }], stream: true });
      try {
        for await (const _ of stream);
        assert.fail('the stream should have failed');
      } catch (error) {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        messages.push(error.message);
      }
    }
    assert.equal(h.fake.requests.length, 2, 'nothing is retried once the client has bytes');
    const rows = await h.waitForRequests(2);
    const byClass = Object.fromEntries(rows.map((r) => [r.errorClass, r]));
    assert.equal(byClass['provider_timeout']?.status, 504);
    assert.equal(byClass['provider_stream_interrupted']?.status, 502);
    assert.ok(messages.some((m) => /fell silent/.test(m)) && messages.some((m) => /before it was complete/.test(m)));
  });

  it('throttles to a configured rpm: a burst above it produces zero upstream 429s', async () => {
    const RPM = 600;
    h = await startHarness({
      config: (base, fake) => ({
        ...base,
        providers: [{ id: 'primary', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [{ alias: 'metered', value: KEY_A, rpm: RPM }] }],
        resilience: { maxWaitMs: 10_000 },
      }),
    });
    // The provider's own limit, as Anthropic and OpenAI document it: a bucket of RPM requests, refilled continuously.
    let level = RPM;
    let last = Date.now();
    let upstream429 = 0;
    h.fake.behave(() => {
      const now = Date.now();
      level = Math.min(RPM, level + ((now - last) * RPM) / 60_000);
      last = now;
      // A little slack for floating-point refill arithmetic; a real provider is no more exact.
      if (level < 1 - 1e-6) {
        upstream429++;
        return { kind: 'rate-limit', retryAfterSeconds: 1 };
      }
      level -= 1;
      return undefined;
    });
    const burst = RPM + 15;
    const results = await Promise.allSettled(Array.from({ length: burst }, () => h!.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })));
    assert.equal(upstream429, 0, 'the provider never had to refuse');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, burst, 'the calls above the limit waited for the bucket');
    await allRows(h, burst);
  });

  it('budgets: block with a clear error, or downgrade to a cheaper alias, once the daily limit is spent', async () => {
    h = await startHarness({
      config: threeKeys({
        models: {
          pricey: { targets: ['backup/gpt-4o'], budget: { dailyUsd: 0.0005, onLimit: 'block' } },
          thrifty: { targets: ['backup/gpt-4o'], budget: { dailyUsd: 0.0005, onLimit: 'downgrade', downgradeTo: 'backup/gpt-4o-mini' } },
        },
      }),
    });
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 100, completionTokens: 10 } }));
    const call = (model: string) => h!.openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const one = await call('pricey');
    assert.equal(one.response.headers.get('x-tollgate-budget-remaining'), '0.000500');
    const two = await call('pricey');
    assert.equal(two.response.headers.get('x-tollgate-budget-remaining'), '0.000150', 'after $0.00035 spent (100 × $2.50 + 10 × $10 per million)');
    assert.equal(two.response.headers.get('x-tollgate-budget-warning'), null);
    await assert.rejects(call('pricey'), (error: unknown) => error instanceof OpenAI.APIError && error.status === 402 && /daily budget for "pricey" of \$0.00/.test(error.message));
    await call('thrifty');
    await call('thrifty');
    const downgraded = await call('thrifty');
    assert.equal(downgraded.data.model, 'gpt-4o-mini');
    assert.equal(downgraded.response.headers.get('x-tollgate-budget-downgraded'), 'thrifty -> backup/gpt-4o-mini');
    const rows = await h.waitForRequests(6);
    assert.equal(rows.find((r) => r.status === 402)?.errorClass, 'caller_budget_exceeded');
    const stats = await h.admin.get<{ budgets: { scope: string; exceeded: boolean }[] }>('/tollgate/v1/stats');
    assert.deepEqual(stats.budgets.filter((b) => b.exceeded).map((b) => b.scope).sort(), ['pricey', 'thrifty']);
  });

  it('a config reload leaves calls in flight on their old settings', async () => {
    h = await startHarness({ config: threeKeys() });
    h.fake.behave((req) => ((req.json as { model: string }).model === 'gpt-4o-mini' ? { kind: 'ok', latencyMs: 400 } : undefined));
    const inFlight = ask(h.openai());
    await sleep(100);
    const view = await h.admin.get<{ config: Record<string, unknown> }>('/tollgate/v1/config');
    await h.admin.put('/tollgate/v1/config', { ...view.config, models: { chaos: { targets: ['backup/gpt-4.1-nano'] } } });
    const after = await ask(h.openai());
    const before = await inFlight;
    assert.equal(before.model, 'gpt-4o-mini');
    assert.equal(after.model, 'gpt-4.1-nano');
  });

  it('loadbalance splits by weight; least-latency prefers the faster target', async () => {
    h = await startHarness({
      config: threeKeys({
        models: {
          split: { strategy: 'loadbalance', targets: [{ target: 'primary/gpt-4o-mini', weight: 3 }, { target: 'backup/gpt-4o-mini', weight: 1 }] },
          quick: { strategy: 'least-latency', targets: ['primary/gpt-4o', 'backup/gpt-4o'] },
        },
      }),
    });
    const primarySlow = (req: RecordedRequest): Scenario | undefined =>
      req.apiKey !== KEY_C && (req.json as { model: string }).model === 'gpt-4o' ? { kind: 'ok', latencyMs: 60 } : undefined;
    for (let i = 0; i < 400; i++) await h.openai().chat.completions.create({ model: 'split', messages: [{ role: 'user', content: 'x' }] });
    const primaryShare = h.fake.requests.filter((r) => r.apiKey !== KEY_C).length / 400;
    assert.ok(primaryShare > 0.65 && primaryShare < 0.85, `primary served ${primaryShare}`);
    await h.reset();
    h.fake.behave(primarySlow);
    for (let i = 0; i < 20; i++) await h.openai().chat.completions.create({ model: 'quick', messages: [{ role: 'user', content: 'x' }] });
    const lastTen = h.fake.requests.slice(-10);
    assert.ok(lastTen.every((r) => r.apiKey === KEY_C), 'the faster backup serves once both have been measured');
  });
});

/** Every row logged by this harness (paging through the admin API), after the writer has caught up. */
async function allRows(h: Harness, expected: number) {
  const rows = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    rows.length = 0;
    let cursor: number | undefined;
    do {
      const page = await h.admin.requests({ limit: 1000, ...(cursor ? { cursor } : {}) });
      rows.push(...page.requests);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (rows.length >= expected) break;
    await sleep(50);
  }
  await sleep(60);
  return rows;
}
