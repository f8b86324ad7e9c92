import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

/**
 * Bad input gets a 4xx in the caller's API error shape with a message that says what is wrong,
 * is logged exactly once, and the gateway keeps serving.
 */
describe('bad input and upstream errors', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, server: { maxRequestBytes: 4096 } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const openaiError = (body: string): { message: string; type: string; code: string; param: string | null } =>
    (JSON.parse(body) as { error: { message: string; type: string; code: string; param: string | null } }).error;

  const cases: { name: string; path: string; body: string; headers?: Record<string, string>; status: number; message: RegExp; code: string }[] = [
    { name: 'invalid JSON', path: '/v1/chat/completions', body: '{"model": "gpt-4o", ', status: 400, message: /not valid JSON/, code: 'caller_invalid_json' },
    { name: 'an empty body', path: '/v1/chat/completions', body: '', status: 400, message: /empty/, code: 'caller_invalid_json' },
    { name: 'a missing model', path: '/v1/chat/completions', body: '{"messages":[{"role":"user","content":"x"}]}', status: 400, message: /model is required/, code: 'caller_invalid_request' },
    { name: 'messages of the wrong type', path: '/v1/chat/completions', body: '{"model":"gpt-4o","messages":"hello"}', status: 400, message: /messages must be an array/, code: 'caller_invalid_request' },
    { name: 'a wrongly typed parameter', path: '/v1/chat/completions', body: '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"temperature":"hot"}', status: 400, message: /temperature/, code: 'caller_invalid_request' },
    { name: 'embeddings without input', path: '/v1/embeddings', body: '{"model":"text-embedding-3-small"}', status: 400, message: /input must be/, code: 'caller_invalid_request' },
    { name: 'an unknown provider', path: '/v1/chat/completions', body: '{"model":"nowhere/some-model","messages":[{"role":"user","content":"x"}]}', status: 400, message: /Unknown provider "nowhere"/, code: 'caller_unknown_provider' },
    { name: 'an endpoint the provider does not serve', path: '/v1/embeddings', body: '{"model":"anthropic/claude-3-5-haiku-latest","input":"x"}', status: 400, message: /does not serve \/v1\/embeddings/, code: 'caller_unsupported_endpoint' },
    // Under /v1/ every path is passed through to a provider (passthrough.test.ts); elsewhere nothing is served.
    { name: 'an unknown path', path: '/v2/fine_tuning/jobs', body: '{}', status: 404, message: /does not serve POST \/v2\/fine_tuning\/jobs/, code: 'caller_not_found' },
    { name: 'no key where the gateway holds keys', path: '/v1/chat/completions', body: '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}', headers: { authorization: '' }, status: 401, message: /No API key sent/, code: 'caller_missing_key' },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} in OpenAI's error shape, logged once`, async () => {
      const res = await rawCall(h.gateway.url, { path: c.path, body: c.body, headers: c.headers ?? { authorization: `Bearer ${h.gateway.token}` } });
      assert.equal(res.status, c.status);
      const error = openaiError(res.body);
      assert.match(error.message, c.message);
      assert.equal(error.code, c.code);
      assert.equal(h.fake.requests.length, 0, 'nothing reached the provider');
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.status, c.status);
      assert.equal(row!.errorClass, c.code);
    });
  }

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    const res = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body, headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(res.status, 413);
    assert.match(openaiError(res.body).message, /larger than the gateway's limit of 4096 bytes/);
    const ok = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'still there?' }] });
    assert.equal(ok.choices[0]?.message.content, 'Hello from the fake upstream.');
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.status).sort(), [200, 413]);
  });

  it('answers Anthropic-shaped callers in Anthropic\'s error shape, which the SDK raises as its own errors', async () => {
    const res = await rawCall(h.gateway.url, { path: '/v1/messages', body: '{"model":"claude-3-5-haiku-latest","messages":[]}', headers: { 'x-api-key': h.gateway.token } });
    assert.equal(res.status, 400);
    const body = JSON.parse(res.body) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /max_tokens is required|messages must not be empty/);
    await assert.rejects(
      h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 0.5, messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /max_tokens/.test(error.message),
    );
    await h.waitForRequests(2);
  });

  it('passes upstream errors through with their status and body, classified in the log', async () => {
    h.fake.behave((req) => (req.index === 0 ? { kind: 'status', status: 400, message: 'This model does not support tools', code: 'unsupported_parameter' } : { kind: 'status', status: 503, message: 'overloaded' }));
    const first = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body: '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}', headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(first.status, 400);
    assert.equal(openaiError(first.body).message, 'This model does not support tools');
    assert.equal(openaiError(first.body).code, 'unsupported_parameter', 'the provider body, not a gateway one');
    await assert.rejects(
      h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof OpenAI.InternalServerError && error.status === 503,
    );
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.status, r.errorClass]), [[503, 'provider_overloaded'], [400, 'caller_rejected_by_provider']]);
    assert.equal(rows[1]!.errorMessage, 'This model does not support tools');
  });

  it('refuses admin calls with a missing or wrong token, in the same error shape', async () => {
    const missing = await rawCall(h.gateway.url, { method: 'GET', path: '/tollgate/v1/requests' });
    assert.equal(missing.status, 401);
    assert.match(openaiError(missing.body).message, /need the Tollgate token/);
    const wrong = await rawCall(h.gateway.url, { method: 'GET', path: '/tollgate/v1/stats', headers: { authorization: 'Bearer tg_wrong' } });
    assert.equal(wrong.status, 401);
    assert.equal(openaiError(wrong.body).code, 'caller_bad_token');
  });

  it('survives a malformed request line and keeps serving', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(h.gateway.port, '127.0.0.1', () => socket.write('GARBAGE\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    assert.match(reply, /^HTTP\/1.1 400/);
    const ok = await h.openai().models.list();
    assert.ok(ok.data.length > 0);
    await h.waitForRequests(1);
  });
});
