import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { baseConfig, OPENAI_KEY } from '../helpers/harness';

const CLI = join(__dirname, '../../dist/tollgate.js');
const run = promisify(execFile);

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The built CLI, as a user runs it: `npm test` builds first; a bare mocha run builds if stale. */
describe('tollgate CLI (built dist/tollgate.js)', function () {
  this.timeout(60_000);
  let fake: FakeUpstream;
  let home: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, TOLLGATE_HOME: home, TEST_OPENAI_KEY: OPENAI_KEY, TEST_ANTHROPIC_KEY: 'sk-ant-cli' });
  const tollgate = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: env() });
  const state = (): { port: number; pid: number; token: string } => JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8'));

  before(async () => {
    execFileSync(process.execPath, ['esbuild.mjs', '--if-stale'], { cwd: join(__dirname, '../..'), stdio: 'inherit' });
    fake = await startFakeUpstream({ defaults: { latencyMs: 300 } });
    home = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
    writeFileSync(join(home, 'config.json'), JSON.stringify(baseConfig(fake)));
  });
  after(async () => {
    await tollgate('stop').catch(() => undefined);
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('start runs the daemon detached; a second start finds it instead of starting another', async () => {
    const first = await tollgate('start', '--port', '0');
    assert.match(first.stdout, /Tollgate started: http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    const { pid } = state();
    assert.equal(statSync(join(home, 'daemon.json')).mode & 0o777, 0o600);
    const second = await tollgate('start', '--port', '0');
    assert.match(second.stdout, new RegExp(`already running: .* \\(pid ${pid}\\)`));
    assert.equal(state().pid, pid);
  });

  it('start --port N while the daemon runs on another port says so and fails', async () => {
    const { port } = state();
    const other = port === 1 ? 2 : port - 1;
    await assert.rejects(tollgate('start', '--port', String(other)), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, new RegExp(`already running on port ${port} .*not ${other}; stop it first`));
      return true;
    });
    assert.match((await tollgate('start', '--port', String(port))).stdout, /already running/);
  });

  it('status shows a config change on disk that was refused, while the running config stays', async () => {
    const file = join(home, 'config.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace(/^\{/, '{ "cache": { "ttlSeconds": -1 },'));
    await waitUntil(async () => /reload:.*ignored, the running config stays: cache\.ttlSeconds \(line 1, column \d+\)/.test((await tollgate('status')).stdout), 'status to show the refused reload');
    writeFileSync(file, good);
    await waitUntil(async () => /reload:.*applied/.test((await tollgate('status')).stdout), 'status to show the good reload');
  });

  it('status describes the running daemon', async () => {
    const { stdout } = await tollgate('status');
    assert.match(stdout, /running on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /openai \(openai, 1 key\), anthropic \(anthropic, 1 key\)/);
  });

  it('env prints the exports for bash, fish and PowerShell', async () => {
    const { port, token } = state();
    const bash = (await tollgate('env', '--shell', 'bash')).stdout;
    assert.equal(bash, `export OPENAI_BASE_URL=http://127.0.0.1:${port}/v1\nexport OPENAI_API_KEY=${token}\nexport ANTHROPIC_BASE_URL=http://127.0.0.1:${port}\nexport ANTHROPIC_API_KEY=${token}\n`);
    assert.match((await tollgate('env', '--shell', 'fish')).stdout, new RegExp(`^set -gx OPENAI_BASE_URL http://127.0.0.1:${port}/v1$`, 'm'));
    assert.match((await tollgate('env', '--shell', 'powershell')).stdout, new RegExp(`^\\$env:OPENAI_API_KEY = "${token}"$`, 'm'));
  });

  it('stats prints spend and latency by model', async () => {
    const { port, token } = state();
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'for the table' }] });
    await client.chat.completions.create({ model: 'gpt-nonexistent-9', messages: [{ role: 'user', content: 'no price for this one' }] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { stdout } = await tollgate('stats', '--since', '1h');
    assert.match(stdout, /model\s+calls\s+errors\s+spend/);
    assert.match(stdout, /openai\/gpt-4o-mini\s+1\s+0\s+\$\d/);
    assert.match(stdout, /openai\/gpt-nonexistent-9\s+1\s+0\s+\$0 \+1 unpriced/);
    assert.match(stdout, /1 call with no known price, not in the spend: openai\/gpt-nonexistent-9 \(1\)\. .*add one under "pricing" in config\.json/);
  });

  it('stats says what the cache answered and saved', async () => {
    const { port, token } = state();
    const patch = await fetch(`http://127.0.0.1:${port}/tollgate/v1/config`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ cache: { enabled: true } }),
    });
    assert.equal(patch.status, 200, await patch.text());
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'cache me for the stats' }] });
    await ask();
    await ask();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { stdout } = await tollgate('stats', '--since', '1h');
    assert.match(stdout, /Cache: 1 hit \(50\.0 %\), 0 coalesced \(0\.0 %\) of 2 cacheable calls; saved \$0\.0\d+ and 0\.[3-9] s\./);
  });

  it('routing what-if prints, per model, what routing by complexity would have cost', async () => {
    const { port, token } = state();
    const patch = await fetch(`http://127.0.0.1:${port}/tollgate/v1/config`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ routing: { tiers: { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4.1' } } }),
    });
    assert.equal(patch.status, 200, await patch.text());
    const { stdout } = await tollgate('routing', 'what-if', '--since', '1h');
    assert.match(stdout, /replayed through the current routing config \(nothing was sent\)/);
    assert.match(stdout, /model then\s+calls\s+would move\s+tiers s\/m\/c\/r\s+cost then\s+cost routed\s+difference/);
    assert.match(stdout, /openai\/gpt-4o-mini\s+\d+\s+0\s+\d+\/0\/0\/0/);
    assert.match(stdout, /total\s+\d+/);
  });

  it('tail prints recent calls, then each new one as it is logged', async () => {
    const { port, token } = state();
    const tail = spawn(process.execPath, [CLI, 'tail'], { env: env() });
    let output = '';
    tail.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitUntil(() => /gpt-4o-mini/.test(output), 'the recent call from the stats test');
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'tail me' }] });
      await waitUntil(() => /200\s+chat\s+openai\s+gpt-4.1-nano/.test(output), 'the new call, live');
    } finally {
      tail.kill('SIGINT');
    }
  });

  it('stop on SIGTERM lets in-flight calls finish and writes every one of them to the log', async () => {
    const { port, token, pid } = state();
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
    const inFlight = Array.from({ length: 40 }, (_, i) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `in flight ${i}` }] }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = await tollgate('stop');
    assert.match(stopped.stdout, new RegExp(`stopped \\(pid ${pid}\\)`));
    const results = await Promise.allSettled(inFlight);
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.equal(existsSync(join(home, 'daemon.json')), false);
    const db = new Database(join(home, 'tollgate.db'), { readonly: true });
    const logged = db.prepare(`SELECT count(*) AS n FROM requests r JOIN labels m ON m.id = r.requested_model WHERE m.value = 'gpt-4o' AND r.status = 200`).get() as { n: number };
    db.close();
    assert.equal(logged.n, 40);
  });

  it('stats and tail --no-follow read the request log on disk while the daemon is stopped', async () => {
    const stats = await tollgate('stats', '--since', '1h');
    assert.match(stats.stdout, /the daemon is stopped: read from the request log on disk/);
    assert.match(stats.stdout, /openai\/gpt-4o\s+40\s+0/);
    const recent = await tollgate('tail', '--no-follow');
    assert.equal(recent.stdout.trim().split('\n').length, 10);
    assert.match(recent.stdout, /200\s+chat\s+openai\s+gpt-4o/);
  });

  it('a detached start that fails prints the daemon\'s own error and exits non-zero', async () => {
    const bad = join(home, 'bad-detached.json');
    writeFileSync(bad, '{\n  "providers": [{ "id": "x", "type": "openai", "baseUrl": "nope" }]\n}');
    await assert.rejects(tollgate('start', '--port', '0', '--config', bad), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /the daemon did not start:\n.*invalid config[\s\S]*providers\[0\]\.baseUrl \(line 2, column \d+\)/);
      return true;
    });
  });

  it('start --foreground on a busy port fails with a clear message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    await assert.rejects(tollgate('start', '--foreground', '--port', String(busy)), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, new RegExp(`port ${busy} is in use by another program`));
      return true;
    });
    blocker.close();
  });

  it('refuses an invalid config, naming the problem', async () => {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ providers: [{ id: 'x', type: 'openai', baseUrl: 'nope' }] }));
    await assert.rejects(tollgate('start', '--foreground', '--port', '0', '--config', bad), (error: { stderr: string }) => /providers\[0\]\.baseUrl/.test(error.stderr));
  });
});
