import assert from 'node:assert/strict';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

/**
 * An error nobody foresaw (here: cached answers damaged on disk, whose content type Node refuses
 * to send, so answering from the cache throws) is a bug, not the caller's
 * fault: the caller gets a 500 in its own API's error shape naming the request, the error is
 * reported on stderr with that request id, the call is logged once, and the daemon keeps serving.
 */
describe('an error nobody foresaw', () => {
  let h: Harness;
  const reported: string[] = [];
  const consoleError = console.error;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true, memoryBytes: 0 } }) });
    console.error = (...args: unknown[]) => reported.push(args.map(String).join(' '));
  });
  after(async () => {
    console.error = consoleError;
    await h.close();
  });

  it('is answered 500 in the caller\'s shape, reported with the request id, logged once; the daemon keeps serving', async () => {
    const body = JSON.stringify({ model: 'gpt-4o', temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
    const openaiCall = () => rawCall(h.gateway.url, { path: '/v1/chat/completions', body, headers: { authorization: `Bearer ${h.gateway.token}` } });
    const claude = { model: 'claude-3-5-haiku-latest', max_tokens: 10, temperature: 0, messages: [{ role: 'user' as const, content: 'hi' }] };
    const anthropicCall = () => h.anthropic().messages.create(claude);
    assert.equal((await openaiCall()).status, 200);
    await anthropicCall();
    await h.waitForRequests(2);
    const db = new Database(join(h.dataDir, 'tollgate.db'));
    // No answers kept in memory (memoryBytes 0): the next lookups read these damaged rows.
    assert.equal(db.prepare("UPDATE cache_entries SET content_type = 'application/json' || char(7)").run().changes, 2);
    db.close();

    const res = await openaiCall();
    assert.equal(res.status, 500);
    const error = (JSON.parse(res.body) as { error: { type: string; code: string; message: string } }).error;
    assert.deepEqual([error.type, error.code], ['server_error', 'gateway_internal']);
    assert.match(error.message, /Invalid character in header content/);
    const openaiId = String(res.headers['x-tollgate-request-id']);

    let anthropicId = '';
    await assert.rejects(anthropicCall(), (thrown: unknown) => {
      assert.ok(thrown instanceof Anthropic.InternalServerError);
      assert.deepEqual(thrown.error, { type: 'error', error: { type: 'api_error', message: 'Tollgate failed to handle the request: Invalid character in header content ["content-type"]' } });
      anthropicId = thrown.headers?.get('x-tollgate-request-id') ?? '';
      return true;
    });

    for (const id of [openaiId, anthropicId]) {
      assert.ok(reported.some((line) => line.includes(`unexpected error in ${id}`) && line.includes('Invalid character in header content')), `reported: ${reported.join('\n')}`);
    }
    const served = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-tollgate-cache': 'bypass' } });
    assert.equal(served.choices[0]?.message.content, 'Hello from the fake upstream.');
    const rows = await h.waitForRequests(5);
    assert.deepEqual(rows.slice(0, 3).map((r) => [r.status, r.errorClass]), [[200, null], [500, 'gateway_internal'], [500, 'gateway_internal']]);
    assert.deepEqual(rows.slice(1, 3).map((r) => r.id).sort(), [openaiId, anthropicId].sort());
  });
});
