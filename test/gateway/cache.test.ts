import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import type { CacheResponse, StatsResponse } from '../../daemon/gateway/api/contracts';
import { startGateway } from '../../daemon/gateway/main';
import { AdminClient } from '../../daemon/gateway/api/client';
import { ANTHROPIC_KEY, OPENAI_KEY, sleep, startHarness, type Harness } from '../helpers/harness';

/**
 * The exact cache and in-flight coalescing, seen as a user sees them: through the official
 * SDKs, the response headers, the provider's request count and the log rows.
 */
describe('exact cache: keys, streams, policy, coalescing, savings', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true } }) });
  });
  after(() => h.close());
  beforeEach(async () => {
    await h.admin.delete('/tollgate/v1/cache');
    await h.reset();
  });

  let serial = 0;
  /** A question no other test asks, so entries never leak between tests. */
  const fresh = (what: string): string => `${what} #${++serial} ${Date.now()}`;
  const chat = (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content }], ...extra }, { headers }).withResponse();

  it('a repeated deterministic request is a hit: the provider sees one call, the hit logs what it saved and who answered it', async () => {
    // The provider takes 80 ms, so "a hit is faster" holds on a loaded CI machine too.
    h.fake.behave(() => ({ kind: 'ok', latencyMs: 80 }));
    const question = fresh('capital of France');
    const first = await chat(question);
    const second = await chat(question);
    assert.equal(first.response.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(second.response.headers.get('x-tollgate-cost-usd'), '0');
    assert.equal(second.response.headers.get('x-tollgate-answered-by'), first.response.headers.get('x-tollgate-request-id'));
    assert.deepEqual(second.data, first.data);
    assert.equal(h.fake.requests.length, 1);
    const [hit, miss] = await h.waitForRequests(2);
    assert.equal(hit!.cache, 'hit');
    assert.equal(hit!.costUsd, 0);
    assert.ok(miss!.costUsd! > 0);
    assert.equal(hit!.savedUsd, miss!.costUsd, 'a hit saves what the call that answered it cost');
    assert.equal(second.response.headers.get('x-tollgate-saved-usd'), miss!.costUsd!.toFixed(8));
    assert.equal(hit!.answeredBy, miss!.id);
    assert.ok(miss!.latencyMs >= 80 && hit!.latencyMs < miss!.latencyMs, `hit ${hit!.latencyMs} ms, miss ${miss!.latencyMs} ms`);
    assert.equal(hit!.savedMs, miss!.latencyMs - hit!.latencyMs);
    assert.equal(miss!.savedUsd, null);
  });

  it('a sampled request (no temperature 0, no seed) is not cached by default; a seed makes it cacheable', async () => {
    const question = fresh('a poem');
    const sampled = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: question }] };
    const a = await h.openai().chat.completions.create(sampled).withResponse();
    const b = await h.openai().chat.completions.create(sampled).withResponse();
    assert.deepEqual([a.response.headers.get('x-tollgate-cache'), b.response.headers.get('x-tollgate-cache')], ['bypass', 'bypass']);
    await h.openai().chat.completions.create({ ...sampled, seed: 7 });
    const seeded = await h.openai().chat.completions.create({ ...sampled, seed: 7 }).withResponse();
    assert.equal(seeded.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(h.fake.requests.length, 3);
  });

  it('bodies differing only in key order, whitespace, stream options, user or metadata share one entry', async () => {
    const question = fresh('key order');
    const send = (body: string) =>
      fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json' }, body });
    const first = await send(`{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":${JSON.stringify(question)}}]}`);
    const reordered = await send(`{ "messages" : [ { "content" : ${JSON.stringify(question)}, "role" : "user" } ],\n "user": "someone", "metadata": {"run": "2"}, "temperature" : 0, "model" : "gpt-4o-mini" }`);
    assert.equal(first.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(reordered.headers.get('x-tollgate-cache'), 'hit');
    assert.deepEqual(await reordered.json(), await first.json());
    const other = await send(`{"model":"gpt-4o-mini","temperature":0,"max_tokens":5,"messages":[{"role":"user","content":${JSON.stringify(question)}}]}`);
    assert.equal(other.headers.get('x-tollgate-cache'), 'miss', 'a parameter that changes the answer changes the key');
    await other.text();
    assert.equal(h.fake.requests.length, 2);
  });

  it('a streamed chat is replayed as a stream the SDK parses into the same text and usage; JSON after stream and stream after JSON both hit', async () => {
    h.fake.behave(() => ({ kind: 'ok', text: 'One two three, a streamed answer.' }));
    const question = fresh('stream me');
    const streamed = async (includeUsage: boolean) => {
      const { data: stream, response } = await h
        .openai()
        .chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: question }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) })
        .withResponse();
      let text = '';
      let usage: unknown = null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage, chunks, cache: response.headers.get('x-tollgate-cache') };
    };
    const original = await streamed(true);
    const replayed = await streamed(true);
    assert.equal(original.cache, 'miss');
    assert.equal(replayed.cache, 'hit');
    assert.equal(replayed.text, 'One two three, a streamed answer.');
    assert.deepEqual(replayed.usage, original.usage);
    assert.ok(original.usage);
    const withoutUsage = await streamed(false);
    assert.equal(withoutUsage.cache, 'hit');
    assert.equal(withoutUsage.usage, null, 'a client that did not ask for usage does not get the usage-only chunk');
    const json = await chat(question);
    assert.equal(json.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(json.data.choices[0]!.message.content, 'One two three, a streamed answer.');
    assert.equal(json.data.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(json.data.usage, original.usage);
    assert.equal(h.fake.requests.length, 1);

    const other = fresh('json first');
    const jsonFirst = await chat(other);
    const { data: stream } = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: other }], stream: true, stream_options: { include_usage: true } }).withResponse();
    let text = '';
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, jsonFirst.data.choices[0]!.message.content);
    assert.deepEqual(usage, jsonFirst.data.usage);
    assert.equal(h.fake.requests.length, 2);
  });

  it('Anthropic messages: a stream is replayed to the SDK whole, and answers a JSON call; JSON answers a stream', async () => {
    h.fake.behave(() => ({ kind: 'ok', text: 'Bonjour from Claude.' }));
    const question = fresh('anthropic');
    const ask = { model: 'claude-3-5-haiku-latest', max_tokens: 100, temperature: 0, messages: [{ role: 'user' as const, content: question }] };
    const first = await h.anthropic().messages.stream(ask).finalMessage();
    const replay = h.anthropic().messages.stream(ask);
    const replayed = await replay.finalMessage();
    assert.deepEqual(replayed, first);
    const json = await h.anthropic().messages.create(ask).withResponse();
    assert.equal(json.response.headers.get('x-tollgate-cache'), 'hit');
    // The SDK's stream helper adds fields of its own (parsed_output, stop_details) to what the wire carried.
    assert.deepEqual(json.data, onTheWire(first));
    const other = { ...ask, messages: [{ role: 'user' as const, content: fresh('anthropic json first') }] };
    const jsonFirst = await h.anthropic().messages.create(other);
    assert.deepEqual(onTheWire(await h.anthropic().messages.stream(other).finalMessage()), jsonFirst);
    assert.equal(h.fake.requests.length, 2);
  });

  it('Responses API: a stream is replayed through the SDK helper to the same response; JSON after stream hits', async () => {
    h.fake.behave(() => ({ kind: 'ok', text: 'A responses answer.' }));
    const ask = { model: 'gpt-4o-mini', temperature: 0, input: fresh('responses') };
    const first = await h.openai().responses.stream(ask).finalResponse();
    const replayed = await h.openai().responses.stream(ask).finalResponse();
    assert.equal(replayed.output_text, 'A responses answer.');
    assert.deepEqual(replayed.usage, first.usage);
    const json = await h.openai().responses.create(ask);
    assert.equal(json.output_text, 'A responses answer.');
    assert.equal(json.id, first.id);
    const other = { ...ask, input: fresh('responses json first') };
    const jsonFirst = await h.openai().responses.create(other);
    const streamedAfter = await h.openai().responses.stream(other).finalResponse();
    assert.equal(streamedAfter.output_text, jsonFirst.output_text);
    assert.deepEqual(streamedAfter.usage, jsonFirst.usage);
    assert.equal(h.fake.requests.length, 2);
  });

  it('embeddings are cached (they are deterministic)', async () => {
    const input = fresh('embed me');
    const first = await h.openai().embeddings.create({ model: 'text-embedding-3-small', input }).withResponse();
    const second = await h.openai().embeddings.create({ model: 'text-embedding-3-small', input }).withResponse();
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'hit');
    assert.deepEqual(second.data.data[0]!.embedding, first.data.data[0]!.embedding);
    assert.equal(h.fake.requests.length, 1);
  });

  it('refresh, only, no-store, no-cache and max-age do what they say', async () => {
    const question = fresh('policy');
    const onlyMiss = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json', 'x-tollgate-cache': 'only' },
      body: JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: question }] }),
    });
    assert.equal(onlyMiss.status, 504);
    const error = (await onlyMiss.json()) as { error: { code: string; message: string } };
    assert.equal(error.error.code, 'gateway_cache_miss');
    assert.match(error.error.message, /only/);
    assert.equal(h.fake.requests.length, 0, 'only never calls the provider');

    await chat(question);
    const onlyHit = await chat(question, {}, { 'x-tollgate-cache': 'only' });
    assert.equal(onlyHit.response.headers.get('x-tollgate-cache'), 'hit');
    const refreshed = await chat(question, {}, { 'x-tollgate-cache': 'refresh' });
    assert.equal(refreshed.response.headers.get('x-tollgate-cache'), 'miss');
    const noCache = await chat(question, {}, { 'cache-control': 'no-cache' });
    assert.equal(noCache.response.headers.get('x-tollgate-cache'), 'miss');
    const noStore = await chat(question, {}, { 'cache-control': 'no-store' });
    assert.equal(noStore.response.headers.get('x-tollgate-cache'), 'bypass');
    const bypass = await chat(question, {}, { 'x-tollgate-cache': 'bypass' });
    assert.equal(bypass.response.headers.get('x-tollgate-cache'), 'bypass');
    assert.equal(h.fake.requests.length, 5);
    const fresh60 = await chat(question, {}, { 'cache-control': 'max-age=60' });
    assert.equal(fresh60.response.headers.get('x-tollgate-cache'), 'hit');
    await sleep(1100);
    const tooOld = await chat(question, {}, { 'cache-control': 'max-age=1' });
    assert.equal(tooOld.response.headers.get('x-tollgate-cache'), 'miss', 'an entry older than max-age is not served');
    assert.equal(h.fake.requests.length, 6);
    const rows = await h.waitForRequests(9);
    assert.deepEqual(rows.map((r) => r.cache).reverse(), ['miss', 'miss', 'hit', 'miss', 'miss', 'bypass', 'bypass', 'hit', 'miss']);
    assert.equal(rows.at(-1)!.status, 504);
  });

  it('an interrupted or failed stream is never cached', async () => {
    const question = fresh('broken stream');
    h.fake.behave((_req, index) => (index === 0 ? { kind: 'reset-mid-stream', afterEvents: 2 } : undefined));
    const read = async () => {
      const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: question }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    await assert.rejects(read());
    assert.ok((await read()).length > 0);
    assert.equal(h.fake.requests.length, 2, 'the second call went to the provider');
    assert.ok((await read()).length > 0);
    assert.equal(h.fake.requests.length, 2, 'the complete stream was cached');
  });

  it('ten identical concurrent calls cost one provider call and get ten identical answers, JSON and streamed', async () => {
    h.fake.behave(() => ({ kind: 'ok', latencyMs: 150, chunkDelayMs: 20, text: 'a shared answer in several chunks' }));
    const question = fresh('concurrent');
    const answers = await Promise.all(Array.from({ length: 10 }, () => chat(question)));
    assert.equal(h.fake.requests.length, 1);
    assert.equal(new Set(answers.map((a) => JSON.stringify(a.data))).size, 1);
    const states = answers.map((a) => a.response.headers.get('x-tollgate-cache')).sort();
    assert.deepEqual(states, ['coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'coalesced', 'miss']);
    const rows = await h.waitForRequests(10);
    const leader = rows.find((r) => r.cache === 'miss')!;
    for (const row of rows.filter((r) => r.cache === 'coalesced')) {
      assert.equal(row.answeredBy, leader.id);
      assert.equal(row.savedUsd, leader.costUsd);
      assert.equal(row.costUsd, 0);
    }

    await h.reset();
    h.fake.behave(() => ({ kind: 'ok', latencyMs: 150, chunkDelayMs: 20, text: 'a shared answer in several chunks' }));
    const streamed = fresh('concurrent stream');
    const readStream = async () => {
      const stream = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: streamed }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: unknown;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        usage ??= chunk.usage ?? undefined;
      }
      return JSON.stringify({ text, usage });
    };
    const first = readStream();
    // Followers that join while the leader streams get what was already sent first.
    await sleep(220);
    const results = await Promise.all([first, ...Array.from({ length: 9 }, readStream)]);
    assert.equal(h.fake.requests.length, 1);
    assert.equal(new Set(results).size, 1);
    assert.match(results[0]!, /a shared answer in several chunks/);
    const streamRows = await h.waitForRequests(10);
    assert.equal(streamRows.filter((r) => r.cache === 'coalesced').length, 9);
  });

  it('a leader that fails hands over to one waiter: no duplicate provider calls', async () => {
    h.fake.behave((_req, index) => (index === 0 ? { kind: 'status', status: 400, latencyMs: 150, message: 'leader refused' } : { kind: 'ok', latencyMs: 150 }));
    const question = fresh('handover');
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => chat(question)));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1, 'only the leader gets its own failure');
    assert.equal(h.fake.requests.length, 2, 'one failed leader, one new leader, nobody else');
    const rows = await h.waitForRequests(6);
    assert.deepEqual(rows.map((r) => r.cache).sort(), ['coalesced', 'coalesced', 'coalesced', 'coalesced', 'miss', 'miss']);
  });

  it('stats and GET /tollgate/v1/cache report hits, coalesced calls and dollars saved; DELETE filters by model and age', async () => {
    const question = fresh('savings');
    await chat(question);
    await chat(question);
    await chat(question);
    // temperature is on the wire API; this SDK's types no longer list it, so the body is built first.
    const claude = { model: 'claude-3-5-haiku-latest', max_tokens: 50, temperature: 0, messages: [{ role: 'user' as const, content: question }] };
    await h.anthropic().messages.create(claude);
    const rows = await h.waitForRequests(4);
    const saved = rows.reduce((sum, r) => sum + (r.savedUsd ?? 0), 0);
    assert.ok(saved > 0);
    const stats = await h.admin.get<StatsResponse>(`/tollgate/v1/stats?since=${rows.at(-1)!.ts}`);
    assert.equal(stats.totals.cache.hits, 2);
    assert.equal(stats.totals.cache.lookups, 4);
    assert.ok(Math.abs(stats.totals.cache.savedUsd - saved) < 1e-12);
    const state = await h.admin.get<CacheResponse>(`/tollgate/v1/cache?since=${rows.at(-1)!.ts}`);
    assert.equal(state.enabled, true);
    assert.equal(state.entries, 2);
    assert.equal(state.usage.hitRate, 0.5);
    assert.ok(state.bytes > 0);
    const none = await h.admin.delete<{ deleted: number }>('/tollgate/v1/cache?model=gpt-4o-mini&olderThan=1h');
    assert.equal(none.deleted, 0, 'nothing is an hour old');
    const openaiOnly = await h.admin.delete<{ deleted: number }>('/tollgate/v1/cache?model=gpt-4o-mini');
    assert.equal(openaiOnly.deleted, 1);
    assert.equal((await chat(question)).response.headers.get('x-tollgate-cache'), 'miss');
    await assert.rejects(h.admin.delete('/tollgate/v1/cache?olderThan=soon'), /duration/);
  });
});

/** A message as the API sent it: the SDK's stream helper adds fields of its own (parsed_output, stop_details). */
function onTheWire<T extends object>(message: T): Omit<T, 'parsed_output' | 'stop_details'> {
  const { parsed_output: _parsed, stop_details: _details, ...wire } = message as T & { parsed_output?: unknown; stop_details?: unknown };
  return wire;
}

describe('exact cache across restarts', () => {
  it('a restart keeps the cache', async () => {
    const h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true } }) });
    try {
      const ask = () => h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'survive a restart' }] }).withResponse();
      await ask();
      await h.waitForRequests(1);
      await h.gateway.close(1000);
      const again = await startGateway({ dataDir: h.dataDir, port: 0, env: { TEST_OPENAI_KEY: OPENAI_KEY, TEST_ANTHROPIC_KEY: ANTHROPIC_KEY } });
      try {
        const response = await fetch(`${again.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${again.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'survive a restart' }] }),
        });
        assert.equal(response.headers.get('x-tollgate-cache'), 'hit');
        assert.equal(h.fake.requests.length, 1);
        const state = await new AdminClient({ port: again.port, token: again.token }).get<CacheResponse>('/tollgate/v1/cache');
        assert.equal(state.entries, 1);
      } finally {
        await again.close(1000);
      }
    } finally {
      await h.fake.close();
    }
  });
});

describe('semantic cache through the gateway (local embedder)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true, semantic: { enabled: true } } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const ask = (content: string, extra: Record<string, unknown> = {}) =>
    h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content }], ...extra }).withResponse();

  it('a reworded question is a semantic hit with its similarity and the call that answered it; one about something else is not', async () => {
    const first = await ask('What is the difference between TCP and UDP?');
    const reworded = await ask('what is the difference between TCP and UDP');
    assert.equal(first.response.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(reworded.response.headers.get('x-tollgate-cache'), 'semantic-hit');
    const similarity = Number(reworded.response.headers.get('x-tollgate-cache-similarity'));
    assert.ok(similarity >= 0.95 && similarity <= 1, String(similarity));
    assert.equal(reworded.response.headers.get('x-tollgate-answered-by'), first.response.headers.get('x-tollgate-request-id'));
    assert.deepEqual(reworded.data.choices, first.data.choices);
    const other = await ask('What is the difference between TCP and QUIC?');
    assert.equal(other.response.headers.get('x-tollgate-cache'), 'miss', 'another protocol is another question');
    assert.equal(h.fake.requests.length, 2);
    const [otherRow, hitRow, firstRow] = await h.waitForRequests(3);
    assert.equal(hitRow!.cache, 'semantic-hit');
    assert.ok(Math.abs(hitRow!.cacheSimilarity! - similarity) < 1e-4);
    assert.equal(hitRow!.answeredBy, firstRow!.id);
    assert.equal(hitRow!.savedUsd, firstRow!.costUsd);
    assert.equal(otherRow!.cacheSimilarity, null);
    const stats = await h.admin.get<StatsResponse>(`/tollgate/v1/stats?since=${firstRow!.ts}`);
    assert.equal(stats.totals.cache.semanticHits, 1);
  });

  it('only the last user message is compared: another system prompt, earlier turn or sampling parameter is another scope', async () => {
    await ask('What is the capital of Japan?');
    const otherSystem = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'Please, what is the capital of Japan?' }] }).withResponse();
    assert.equal(otherSystem.response.headers.get('x-tollgate-cache'), 'miss');
    const otherParameter = await ask('Please, what is the capital of Japan?', { max_tokens: 20 });
    assert.equal(otherParameter.response.headers.get('x-tollgate-cache'), 'miss');
    const sameScope = await ask('Please, what is the capital of Japan?');
    assert.equal(sameScope.response.headers.get('x-tollgate-cache'), 'semantic-hit');
    assert.equal(h.fake.requests.length, 3);
  });

  it('requests with tools are never answered semantically', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    await ask('Explain what a closure is in JavaScript.', { tools });
    const again = await ask('Please explain what a closure is in JavaScript.', { tools });
    assert.equal(again.response.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(h.fake.requests.length, 2);
  });

  it('a restart keeps the questions: the reworded question still hits', async () => {
    const own = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true, semantic: { enabled: true } } }) });
    const body = (content: string) => JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content }] });
    try {
      await own.openai().chat.completions.create(JSON.parse(body('What is the capital of Japan?')));
      await own.waitForRequests(1);
      await own.gateway.close(1000);
      const again = await startGateway({ dataDir: own.dataDir, port: 0, env: { TEST_OPENAI_KEY: OPENAI_KEY, TEST_ANTHROPIC_KEY: ANTHROPIC_KEY } });
      try {
        const response = await fetch(`${again.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${again.token}`, 'content-type': 'application/json' },
          body: body('Please, what is the capital of Japan?'),
        });
        assert.equal(response.headers.get('x-tollgate-cache'), 'semantic-hit');
        assert.equal(own.fake.requests.length, 1);
      } finally {
        await again.close(1000);
      }
    } finally {
      await own.fake.close();
    }
  });
});
