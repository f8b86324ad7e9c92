import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { toFile } from 'openai';
import { ANTHROPIC_KEY, OPENAI_KEY, startHarness, type Harness } from '../helpers/harness';

/** Paths the gateway does not serve itself reach the provider as they are, and are logged once. */
describe('pass-through of every other /v1/ path', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, models: { fast: { targets: ['openai/gpt-4o-mini'] } } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  it('models.retrieve reaches the provider for a model, and is answered by the gateway for an alias', async () => {
    const model = await h.openai().models.retrieve('gpt-4o-mini');
    assert.deepEqual([model.id, model.owned_by], ['gpt-4o-mini', 'system']);
    assert.equal(h.fake.requests[0]!.path, '/v1/models/gpt-4o-mini');
    assert.equal(h.fake.requests[0]!.apiKey, OPENAI_KEY, 'with the key the gateway holds, not the token');
    const alias = await h.openai().models.retrieve('fast');
    assert.deepEqual([alias.id, alias.owned_by], ['fast', 'tollgate']);
    assert.equal(h.fake.requests.length, 1);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.endpoint, r.status]), [['/v1/models', 200], ['/v1/models', 200]]);
  });

  it('legacy completions (JSON and streamed) and moderations reach the provider; completions are priced from their usage', async () => {
    const completion = await h.openai().completions.create({ model: 'fast', prompt: 'Say hello' });
    assert.equal(completion.choices[0]!.text, 'Hello from the fake upstream.');
    assert.equal((h.fake.requests[0]!.json as { model: string }).model, 'gpt-4o-mini', 'the alias became its target model');
    const stream = await h.openai().completions.create({ model: 'gpt-4o-mini', prompt: 'Say hello', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    assert.equal(text, 'Hello from the fake upstream.');
    const moderation = await h.openai().moderations.create({ input: 'hello' });
    assert.equal(moderation.results[0]!.flagged, false);
    const [moderated, streamed, json] = await h.waitForRequests(3);
    assert.deepEqual([json!.endpoint, json!.requestedModel, json!.provider], ['/v1/completions', 'fast', 'openai']);
    assert.equal(json!.promptTokens, completion.usage!.prompt_tokens);
    assert.ok(json!.costUsd! > 0, 'priced as gpt-4o-mini');
    assert.ok(streamed!.stream && streamed!.completionTokens! > 0 && streamed!.costUsd! > 0);
    assert.deepEqual([moderated!.endpoint, moderated!.status, moderated!.costUsd], ['/v1/moderations', 200, 0]);
  });

  it('a file upload (multipart, streamed through) and a batch create pass through', async () => {
    const content = '{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}\n';
    const file = await h.openai().files.create({ file: await toFile(Buffer.from(content), 'batch.jsonl'), purpose: 'batch' });
    assert.deepEqual([file.filename, file.bytes, file.purpose], ['batch.jsonl', Buffer.byteLength(content), 'batch']);
    assert.match(h.fake.requests[0]!.headers['content-type']!, /^multipart\/form-data; boundary=/);
    assert.ok(h.fake.requests[0]!.body.includes(content), 'the provider got the file as sent');
    const batch = await h.openai().batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    assert.deepEqual([batch.input_file_id, batch.status], [file.id, 'validating']);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.endpoint, r.status]), [['/v1/batches', 200], ['/v1/files', 200]]);
  });

  it("Anthropic's message batches pass through to the Anthropic provider, with the key it holds", async () => {
    const created = await h.anthropic().messages.batches.create({
      requests: [{ custom_id: 'q1', params: { model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] } }],
    });
    assert.equal(created.processing_status, 'in_progress');
    const sent = h.fake.requests[0]!;
    assert.deepEqual([sent.path, sent.apiKey], ['/v1/messages/batches', ANTHROPIC_KEY]);
    assert.deepEqual((sent.json as { requests: { custom_id: string }[] }).requests.map((r) => r.custom_id), ['q1']);
    const polled = await h.anthropic().messages.batches.retrieve(created.id);
    assert.equal(polled.id, created.id);
    // Logged under the path without its id, so ids cannot grow the log's label table.
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.endpoint, r.provider, r.status]), [['/v1/messages/batches', 'anthropic', 200], ['/v1/messages/batches', 'anthropic', 200]]);
  });

  it('a provider error comes back as the provider sent it, logged as refused', async () => {
    await assert.rejects(h.openai().completions.create({ model: 'gpt-4o-mini' } as never), (error: { status?: number }) => error.status === 400);
    const [row] = await h.waitForRequests(1);
    assert.deepEqual([row!.endpoint, row!.status, row!.errorClass], ['/v1/completions', 400, 'caller_rejected_by_provider']);
  });
});

describe('pass-through: a provider error that quotes the key', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('reaches the caller and the log with the key cut out', async () => {
    h.fake.behave(() => ({ kind: 'status', status: 401, message: `Incorrect API key provided: ${OPENAI_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.` }));
    await assert.rejects(h.openai().moderations.create({ input: 'x' }), (error: { status?: number; message?: string }) => {
      assert.equal(error.status, 401);
      assert.ok(!error.message!.includes(OPENAI_KEY), error.message);
      return true;
    });
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.errorClass, 'caller_rejected_by_provider');
    assert.ok(!row!.errorMessage!.includes(OPENAI_KEY));
    assert.match(row!.errorMessage!, /Incorrect API key provided/);
  });
});
