import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import type { RequestDetail } from '../../daemon/gateway/api/contracts';
import { startGateway } from '../../daemon/gateway/main';
import { OPENAI_KEY, startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

const CALLER_KEY = 'sk-callers-own-key-abcdefabcdefabcdef0123';

describe('secrets stay secret', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('a provider error that quotes the key is scrubbed before it reaches the caller, the log or a later refusal', async () => {
    // As OpenAI did for years: "Incorrect API key provided: sk-…" with the whole key.
    h.fake.behave((req) => ({ kind: 'status', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${req.apiKey}. You can find your API key at https://platform.openai.com/account/api-keys.` }));
    const messages: string[] = [];
    for (const client of [h.openai(), h.openai({ apiKey: CALLER_KEY })]) {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        messages.push(error.message);
      });
    }
    // The gateway's key is now disabled; its refusal quotes why, still without the key.
    await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => messages.push(String(error)));
    assert.equal(messages.length, 3);
    assert.match(messages[0]!, /Incorrect API key provided: \[redacted key\]/);
    assert.match(messages[1]!, /Incorrect API key provided: \[redacted key\]/);
    assert.match(messages[2]!, /No usable key.*Incorrect API key provided: \[redacted key\]/);
    const rows = await h.waitForRequests(3);
    const details = await Promise.all(rows.map((r) => h.admin.get<RequestDetail>(`/tollgate/v1/requests/${r.id}`)));
    const everything = JSON.stringify({ messages, rows, details });
    for (const key of [OPENAI_KEY, CALLER_KEY]) assert.ok(!everything.includes(key), `${key.slice(0, 12)}… leaked`);
    assert.match(details[1]!.responseBody!, /\[redacted key\]/, 'the stored response body is the scrubbed one');
    h.fake.behave(undefined);
  });
});

describe('keys pushed from the editor', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('must be printable ASCII: a key no HTTP header can carry is refused when pushed, not at every call', async () => {
    for (const value of ['sk-caf\u00e9-0123456789', 'sk-with space-0123456789', 'sk-\u65e5\u672c-0123456789']) {
      const res = await rawCall(h.gateway.url, { method: 'PUT', path: '/tollgate/v1/keys/openai', body: JSON.stringify({ keys: [{ alias: 'odd', value }] }), headers: { authorization: `Bearer ${h.gateway.token}` } });
      assert.equal(res.status, 400, value);
      assert.match(res.body, /printable ASCII/);
    }
  });
});

describe('the daemon token', () => {
  for (const [what, token] of [
    ['empty', ''],
    ['short', 'tg_short_token'],
    ['long but not random', 'a'.repeat(40)],
  ] as const) {
    it(`refuses a TOLLGATE_TOKEN that is ${what} with a message saying what it must be`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-token-'));
      try {
        await assert.rejects(startGateway({ dataDir, port: 0, env: { TOLLGATE_TOKEN: token }, writeStateFile: false }), /TOLLGATE_TOKEN must be at least 32 random characters/);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }

  it('accepts a long random TOLLGATE_TOKEN, and an empty Bearer token opens nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-token-'));
    const token = 'tg_0123456789abcdefghijklmnopqrstuvwxyzABCD';
    const gateway = await startGateway({ dataDir, port: 0, env: { TOLLGATE_TOKEN: token }, writeStateFile: false });
    try {
      assert.equal(gateway.token, token);
      const empty = await rawCall(gateway.url, { method: 'GET', path: '/tollgate/v1/health', headers: { authorization: 'Bearer ' } });
      assert.equal(empty.status, 401);
    } finally {
      await gateway.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('config edits over the admin API', function () {
  this.timeout(30_000);
  let h: Harness;
  let path: string;
  before(async () => {
    h = await startHarness();
    path = (await h.admin.get<{ path: string }>('/tollgate/v1/config')).path;
  });
  after(() => h.close());
  afterEach(() => h.reset());

  const send = (method: string, body: string, contentType = 'application/json') =>
    rawCall(h.gateway.url, { method, path: '/tollgate/v1/config', body, headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': contentType } });

  it('PUT needs a JSON content type: a form or text post changes nothing', async () => {
    const before = readFileSync(path, 'utf8');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await send('PUT', '{}', type);
      assert.equal(res.status, 415);
      assert.match(res.body, /must be sent as application\/json/);
    }
    assert.equal(readFileSync(path, 'utf8'), before);
  });

  it('PATCH changes only what it names, null removes, the file keeps its shape, and the old file is kept as config.json.bak', async () => {
    const before = readFileSync(path, 'utf8');
    const on = await send('PATCH', JSON.stringify({ cache: { enabled: true }, models: { quick: { targets: ['openai/gpt-4o-mini'] } } }), 'application/merge-patch+json');
    assert.equal(on.status, 200, on.body);
    const written = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(written).sort(), ['cache', 'models', 'providers'], 'no defaults written into the file');
    assert.deepEqual(written['cache'], { enabled: true });
    assert.equal(readFileSync(`${path}.bak`, 'utf8'), before);
    const served = await h.openai().chat.completions.create({ model: 'quick', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(served.model, 'gpt-4o-mini', 'applied without a restart');
    const off = await send('PATCH', JSON.stringify({ models: { quick: null }, cache: null }));
    assert.equal(off.status, 200);
    const after = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(after).sort(), ['models', 'providers']);
    assert.deepEqual(after['models'], {});
  });

  it('a PATCH edits a commented config in place: the comments and the rest of the file stay', async () => {
    const original = readFileSync(path, 'utf8');
    const document = JSON.parse(original) as Record<string, unknown>;
    const commented = `// my gateway\n${JSON.stringify(document, null, 2).replace(/\n}$/, ',\n  // the cache, off for now\n  "cache": { "enabled": false },\n}')}\n`;
    writeFileSync(path, commented);
    const res = await send('PATCH', JSON.stringify({ cache: { enabled: true } }));
    assert.equal(res.status, 200, res.body);
    const after = readFileSync(path, 'utf8');
    assert.match(after, /^\/\/ my gateway\n/);
    assert.match(after, /\/\/ the cache, off for now\n\s*"cache": \{ "enabled": true \}/);
    writeFileSync(path, original);
  });

  it('a PATCH to a file that cannot be read as it stands is a 409 naming where, and leaves the file alone', async () => {
    const original = readFileSync(path, 'utf8');
    const broken = original.replace(/\}\s*$/, '  "cache": { "enabled": tru }\n}\n');
    writeFileSync(path, broken);
    try {
      const res = await send('PATCH', JSON.stringify({ cache: { enabled: true } }));
      assert.equal(res.status, 409, res.body);
      assert.match((JSON.parse(res.body) as { error: { message: string } }).error.message, /^Cannot patch .*config\.json: not valid JSON\(C\) at line \d+, column \d+/);
      assert.equal(readFileSync(path, 'utf8'), broken);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('an invalid PATCH is refused with every problem named and leaves the file as it was', async () => {
    const before = readFileSync(path, 'utf8');
    const res = await send('PATCH', JSON.stringify({ resilience: { retries: -1 }, cache: { enabled: 'yes' } }));
    assert.equal(res.status, 400);
    const error = (JSON.parse(res.body) as { error: { problems: string[] } }).error;
    // Each problem names its path and where the patched file has it.
    assert.deepEqual(error.problems.map((p) => p.split(':')[0]!.replace(/ \(line \d+, column \d+\)$/, '')).sort(), ['cache.enabled', 'resilience.retries']);
    assert.ok(error.problems.every((p) => / \(line \d+, column \d+\): /.test(p)), error.problems.join('; '));
    const ghost = await send('PATCH', JSON.stringify({ models: { bad: { targets: ['ghost/x'] } } }));
    assert.equal(ghost.status, 400);
    const [ghostProblem, ...others] = (JSON.parse(ghost.body) as { error: { problems: string[] } }).error.problems;
    assert.match(ghostProblem!, /^models\.bad\.targets\[0\] \(line \d+, column \d+\): no provider with id "ghost" \(known: openai, anthropic\)$/);
    assert.deepEqual(others, []);
    assert.equal(readFileSync(path, 'utf8'), before);
    assert.equal((await send('PATCH', '[1, 2]')).status, 400);
  });

  it('PUT of {} replaces the whole config, and the hand-written file survives as config.json.bak', async () => {
    const before = readFileSync(path, 'utf8');
    const res = await send('PUT', '{}');
    assert.equal(res.status, 200);
    assert.ok(existsSync(`${path}.bak`));
    assert.equal(readFileSync(`${path}.bak`, 'utf8'), before);
    const restore = await send('PUT', before);
    assert.equal(restore.status, 200);
  });
});
