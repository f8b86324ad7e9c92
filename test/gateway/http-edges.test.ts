import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, it } from 'mocha';
import type OpenAI from 'openai';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

/**
 * The edges of HTTP and JSON a careless or hostile client reaches (issue 13): oversized headers
 * get the status that says so, a byte-order mark does not make JSON invalid, a path nobody
 * serves is logged under one endpoint label instead of a new label per path, a client that
 * leaves mid-upload is logged as having left, CONNECT is refused in words, input items that
 * are not objects do not break the log, and a live-feed client that sends junk is dropped.
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

  it('logs a path nobody serves under the endpoint "unknown", with its tag, and the method and the path cut short in the message', async () => {
    const path = `/v2/${'x'.repeat(8_000)}`;
    const res = await rawCall(h.gateway.url, { path, body: '{}', headers: auth() });
    assert.equal(res.status, 404);
    const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
    assert.match(message, /^Tollgate does not serve POST \/v2\/x{196}… \(8004 characters\)\. Supported: /);
    const other = await rawCall(h.gateway.url, { method: 'GET', path: '/v2/elsewhere', headers: { ...auth(), 'x-tollgate-tag': 'edges' } });
    assert.equal(other.status, 404);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.endpoint, r.status]), [['unknown', 404], ['unknown', 404]]);
    assert.equal(rows[0]!.clientTag, 'edges', 'a refused call is logged with its tag, like any other');
    assert.ok(rows[1]!.errorMessage!.length < 600, `message of ${rows[1]!.errorMessage!.length} characters`);
    assert.match(rows[0]!.errorMessage!, /GET \/v2\/elsewhere/);
  });

  it('logs a client that leaves half-way through its upload as 499 client_disconnected, not as a gateway error', async () => {
    const reported: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => reported.push(args.map(String).join(' '));
    await new Promise<void>((resolve) => {
      const socket = connect(h.gateway.port, '127.0.0.1', () => {
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.gateway.token}\r\nContent-Length: 1000\r\n\r\n{"model":"gpt-4o",`, () => {
          setTimeout(() => socket.destroy(), 50);
        });
      });
      socket.on('close', () => resolve());
    });
    const [row] = await h.waitForRequests(1).finally(() => {
      console.error = consoleError;
    });
    assert.deepEqual([row!.status, row!.errorClass], [499, 'client_disconnected']);
    assert.deepEqual(reported, [], 'a client leaving is not an unexpected error');
  });

  it('refuses CONNECT with 405 and a reason, instead of dropping the connection', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(h.gateway.port, '127.0.0.1', () => socket.write('CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
    });
    assert.match(reply, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    assert.match(reply, /"code":"caller_method_not_allowed"/);
  });

  it('logs a Responses call whose input items are not objects', async () => {
    const input = [null, 7, { role: 'user', content: 'hi' }] as unknown as OpenAI.Responses.ResponseInput;
    const response = await h.openai().responses.create({ model: 'gpt-4o-mini', input });
    assert.equal(response.status, 'completed');
    const [row] = await h.waitForRequests(1);
    assert.deepEqual([row!.status, row!.errorClass], [200, null]);
  });

  it('drops a live-feed client that sends a message over the limit, and keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.gateway.port}/tollgate/v1/live`, { headers: { authorization: `Bearer ${h.gateway.token}` } });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(200 * 1024));
    assert.equal(await closed, 1009, 'closed as Message Too Big');
    assert.equal((await h.admin.health()).ok, true);
  });
});
