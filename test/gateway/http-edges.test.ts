import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

/**
 * The edges of HTTP and JSON a careless or hostile client reaches (issue 13): oversized headers
 * get the status that says so, a byte-order mark does not make JSON invalid, and a path nobody
 * serves is logged under one endpoint label instead of a new label per path.
 */
describe('HTTP and JSON edges', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${h.gateway.token}` });
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

  it('answers headers over 16 KB with 431 in OpenAI\'s error shape, and keeps serving', async () => {
    const res = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body: '{}', headers: { ...auth(), 'x-padding': 'p'.repeat(17_000) } });
    assert.equal(res.status, 431);
    const error = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'caller_headers_too_large');
    assert.match(error.message, /headers are larger than the gateway accepts/);
    const ok = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'still there?' }] });
    assert.equal(ok.choices[0]?.message.content, 'Hello from the fake upstream.');
    const rows = await h.waitForRequests(1);
    assert.equal(rows[0]!.status, 200, 'a request refused before routing is not logged');
  });

  it('accepts a JSON body that starts with a UTF-8 byte-order mark, and sends it on without one', async () => {
    const chat = Buffer.concat([BOM, Buffer.from(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }))]);
    const messages = Buffer.concat([BOM, Buffer.from(JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }))]);
    const first = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body: chat, headers: auth() });
    const second = await rawCall(h.gateway.url, { path: '/v1/messages', body: messages, headers: { 'x-api-key': h.gateway.token, 'anthropic-version': '2023-06-01' } });
    assert.deepEqual([first.status, second.status], [200, 200]);
    assert.deepEqual(h.fake.requests.map((r) => r.body.charCodeAt(0)), [0x7b, 0x7b], 'the provider gets "{" first, no BOM');
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.status), [200, 200]);
  });

  it('logs a path nobody serves under the endpoint "unknown", with the method and the path cut short in the message', async () => {
    const path = `/v1/${'x'.repeat(8_000)}`;
    const res = await rawCall(h.gateway.url, { path, body: '{}', headers: auth() });
    assert.equal(res.status, 404);
    const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
    assert.match(message, /^Tollgate does not serve POST \/v1\/x{196}… \(8004 characters\)\. Supported: /);
    const other = await rawCall(h.gateway.url, { method: 'GET', path: '/v2/elsewhere', headers: auth() });
    assert.equal(other.status, 404);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.endpoint, r.status]), [['unknown', 404], ['unknown', 404]]);
    assert.ok(rows[1]!.errorMessage!.length < 600, `message of ${rows[1]!.errorMessage!.length} characters`);
    assert.match(rows[0]!.errorMessage!, /GET \/v2\/elsewhere/);
  });
});
