import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { ANTHROPIC_KEY, OPENAI_KEY, startHarness, type Harness } from '../helpers/harness';

/**
 * The official SDKs work against the gateway unchanged except for their base URL, over real
 * loopback HTTP, and every call is logged once with the usage the provider reported.
 */
describe('official SDKs through the gateway', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, models: { fast: { targets: ['openai/gpt-4o-mini'] } } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  it('openai chat: returns the provider body, logs tokens, and uses the key the gateway holds', async () => {
    const { data, response } = await h.openai().chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], temperature: 0.2, user: 'u-1' })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'Hello from the fake upstream.');
    assert.ok(data.usage && data.usage.prompt_tokens > 0);
    assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    assert.equal(response.headers.get('x-tollgate-attempts'), '1');
    assert.match(response.headers.get('x-tollgate-request-id') ?? '', /^req_/);
    assert.match(response.headers.get('x-tollgate-cost-usd') ?? '', /^\d+\.\d+$/);
    const upstream = h.fake.requests[0]!;
    assert.equal(upstream.apiKey, OPENAI_KEY, 'the daemon token is swapped for the held key');
    assert.deepEqual(upstream.json, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], temperature: 0.2, user: 'u-1' }, 'unknown fields pass through untouched');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.id, response.headers.get('x-tollgate-request-id'));
    assert.equal(row!.status, 200);
    assert.equal(row!.promptTokens, data.usage!.prompt_tokens);
    assert.equal(row!.completionTokens, data.usage!.completion_tokens);
    assert.equal(row!.keyAlias, 'openai#1');
    assert.equal(row!.costEstimated, false);
  });

  it('openai streamed chat without include_usage: client sees no usage chunk, the log still gets the cost', async () => {
    const stream = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Stream please' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.length >= 3);
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Hello from the fake upstream.');
    assert.ok(chunks.every((c) => c.choices.length > 0), 'the usage-only chunk the gateway asked for is not shown');
    const sent = h.fake.requests[0]!.json as { stream_options?: { include_usage?: boolean } };
    assert.equal(sent.stream_options?.include_usage, true, 'the gateway asks the provider for usage');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.stream, true);
    assert.ok(row!.promptTokens! > 0 && row!.completionTokens! > 0);
    assert.ok(row!.costUsd! > 0);
    assert.equal(row!.costEstimated, false);
    assert.ok(row!.ttfbMs! > 0 && row!.ttfbMs! <= row!.latencyMs);
  });

  it('openai streamed chat with include_usage: the client gets the usage chunk it asked for', async () => {
    const stream = await h.openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage && last.usage.total_tokens > 0);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.promptTokens, last.usage!.prompt_tokens);
    assert.equal(row!.completionTokens, last.usage!.completion_tokens);
  });

  it('openai embeddings: base64 vectors decode, tokens are logged', async () => {
    const result = await h.openai().embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    assert.equal(result.data.length, 2);
    assert.ok(result.data.every((d) => Array.isArray(d.embedding) && d.embedding.length > 0 && d.embedding.every(Number.isFinite)));
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.endpoint, 'embeddings');
    assert.equal(row!.promptTokens, result.usage.prompt_tokens);
    assert.equal(row!.completionTokens, 0);
    assert.ok(row!.costUsd! > 0);
  });

  it('openai responses: JSON and streamed, with usage in the log', async () => {
    const client = h.openai();
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hi there', instructions: 'Be brief' });
    assert.equal(response.output_text, 'Hello from the fake upstream.');
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Stream it' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    assert.equal(deltas.join(''), 'Hello from the fake upstream.');
    const rows = await h.waitForRequests(2);
    const [streamed, plain] = rows;
    assert.equal(plain!.endpoint, 'responses');
    assert.equal(plain!.promptTokens, response.usage!.input_tokens);
    assert.equal(streamed!.stream, true);
    assert.equal(streamed!.promptTokens, final.usage!.input_tokens);
    assert.equal(streamed!.completionTokens, final.usage!.output_tokens);
  });

  it('openai models list includes the config aliases', async () => {
    const ids = [];
    for await (const model of h.openai().models.list()) ids.push(model.id);
    assert.ok(ids.includes('fast'), `aliases listed: ${ids.join(', ')}`);
    assert.ok(ids.length > 1);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.endpoint, 'models');
    assert.equal(row!.status, 200);
  });

  it('an alias is served by its target, under the target model name', async () => {
    const { response } = await h.openai().chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    assert.equal((h.fake.requests[0]!.json as { model: string }).model, 'gpt-4o-mini');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.requestedModel, 'fast');
    assert.equal(row!.servedModel, 'gpt-4o-mini');
  });

  it('anthropic messages: JSON, with the held key and an anthropic-version header', async () => {
    const message = await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'Hello from the fake upstream.');
    const upstream = h.fake.requests[0]!;
    assert.equal(upstream.apiKey, ANTHROPIC_KEY);
    assert.ok(upstream.headers['anthropic-version']);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.endpoint, 'messages');
    assert.equal(row!.provider, 'anthropic');
    assert.equal(row!.keyAlias, 'ant-main');
    assert.equal(row!.promptTokens, message.usage.input_tokens);
    assert.equal(row!.completionTokens, message.usage.output_tokens);
  });

  it('anthropic messages streamed: finalMessage usage matches the log, cache tokens included', async () => {
    h.fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 1200, cachedTokens: 1000, cacheWriteTokens: 100, completionTokens: 40 } }));
    const stream = h.anthropic().messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    const text: string[] = [];
    stream.on('text', (delta) => text.push(delta));
    const final = await stream.finalMessage();
    assert.equal(text.join(''), 'Hello from the fake upstream.');
    assert.equal(final.usage.cache_read_input_tokens, 1000);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.stream, true);
    assert.equal(row!.promptTokens, 1200, 'input + cache read + cache write');
    assert.equal(row!.cachedTokens, 1000);
    assert.equal(row!.cacheWriteTokens, 100);
    assert.equal(row!.completionTokens, 40);
  });

  it('a caller key that is not the token is passed through and logged only as a fingerprint', async () => {
    const own = 'sk-my-own-key-1234567890';
    await h.openai({ apiKey: own }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(h.fake.requests[0]!.apiKey, own);
    const [row] = await h.waitForRequests(1);
    assert.match(row!.keyAlias!, /^caller:[0-9a-f]{8}$/);
  });
});
