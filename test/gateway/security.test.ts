import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { ANTHROPIC_KEY, OPENAI_KEY, startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

/** Every file under a directory, as bytes (the database, its WAL, daemon.json, logs). */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe('security', () => {
  let h: Harness;
  const warnings: string[] = [];
  const PUSHED_KEY = 'sk-pushed-from-vscode-5555555555555555';
  const CALLER_KEY = 'sk-callers-own-key-7777777777777777';

  before(async () => {
    h = await startHarness({ warnings });
  });
  after(() => h.close());

  it('listens on 127.0.0.1 only: the same port on any other address of this machine refuses the connection', async () => {
    assert.match(h.gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4')
      .map((address) => address!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(h.gateway.port, address);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      assert.equal(outcome, 'ECONNREFUSED', `port ${h.gateway.port} on ${address}`);
    }
  });

  it('refuses a request whose Host header is not a loopback name (DNS rebinding)', async () => {
    const res = await rawCall(h.gateway.url, {
      path: '/v1/chat/completions',
      headers: { host: 'attacker.example:80', authorization: `Bearer ${h.gateway.token}` },
      body: '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}',
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /not a loopback name/);
    const admin = await rawCall(h.gateway.url, { method: 'GET', path: '/tollgate/v1/health', headers: { host: 'evil.test', authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(admin.status, 403);
  });

  it('refuses requests sent by a web page on another origin, and accepts localhost names', async () => {
    const res = await rawCall(h.gateway.url, {
      path: '/v1/chat/completions',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${h.gateway.token}` },
      body: '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}',
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /web origin/);
    const local = await rawCall(h.gateway.url, { method: 'GET', path: '/tollgate/v1/health', headers: { host: `localhost:${h.gateway.port}`, authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(local.status, 200);
  });

  it('writes daemon.json with mode 0600', () => {
    const mode = statSync(join(h.dataDir, 'daemon.json')).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.equal(JSON.parse(readFileSync(join(h.dataDir, 'daemon.json'), 'utf8')).token, h.gateway.token);
  });

  it('keeps provider keys out of the database, its WAL, daemon.json, the config and the logs', async () => {
    await h.reset();
    await h.admin.put('/tollgate/v1/keys/openai', { keys: [{ alias: 'from-vscode', value: PUSHED_KEY }] });
    const client = h.openai();
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `my key is in the header, not here` }] });
    await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] });
    await h.openai({ apiKey: CALLER_KEY }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: false });
    h.fake.behave(() => ({ kind: 'status', status: 401, message: `Incorrect API key provided` }));
    await assert.rejects(h.openai({ apiKey: CALLER_KEY }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }));
    h.fake.behave(undefined);
    const rows = await h.waitForRequests(4);
    assert.deepEqual(new Set(rows.map((r) => r.keyAlias)).size, 3, 'held key, anthropic key and the caller fingerprint are told apart');
    const health = await h.admin.health();
    assert.ok(!JSON.stringify(health).includes(PUSHED_KEY));
    const keys = await h.admin.get<unknown>('/tollgate/v1/keys');
    assert.ok(!JSON.stringify(keys).includes(PUSHED_KEY) && JSON.stringify(keys).includes('from-vscode'));
    for (const { path, bytes } of filesUnder(h.dataDir)) {
      for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, PUSHED_KEY, CALLER_KEY]) {
        assert.equal(bytes.includes(secret), false, `${secret.slice(0, 12)}… found in ${path}`);
      }
    }
    assert.ok(warnings.every((w) => ![OPENAI_KEY, PUSHED_KEY, CALLER_KEY].some((k) => w.includes(k))));
  });

  it('uses a key pushed from the editor for calls made with the token', async () => {
    await h.reset();
    await h.admin.put('/tollgate/v1/keys/anthropic', { keys: [{ alias: 'pushed-ant', value: PUSHED_KEY }] });
    await h.admin.put('/tollgate/v1/config', { ...(await h.admin.get<{ config: object }>('/tollgate/v1/config')).config });
    await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] });
    const keys = await h.admin.get<{ providers: { provider: string; keys: { alias: string; source: string }[] }[] }>('/tollgate/v1/keys');
    assert.deepEqual(keys.providers.find((p) => p.provider === 'anthropic')?.keys, [
      { alias: 'ant-main', source: 'config' },
      { alias: 'pushed-ant', source: 'pushed' },
    ], 'pushed keys survive a config change');
    await h.waitForRequests(1);
  });
});
