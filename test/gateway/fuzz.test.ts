import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import type { ConfigInput } from '../../daemon/gateway/config/schema';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { checkAnswers, checkLog, readLog } from '../fuzz/check';
import { DaemonUnderTest } from '../fuzz/daemon';
import { seedFromEnv } from '../fuzz/random';
import { runFuzz, summarize } from '../fuzz/run';
import { sendRaw } from '../fuzz/send';
import { fuzzBehavior, UPSTREAM_HEADER } from '../fuzz/upstream';

const COUNT = Number(process.env['TOLLGATE_FUZZ_COUNT'] ?? 3_000);
const SEED = seedFromEnv(process.env);
const CONCURRENCY = 12;
const TOKEN = `tg_${randomBytes(24).toString('base64url')}`;

/**
 * No input can end the daemon (issue 13). The built daemon runs as its own process, as users run
 * it, in front of the fake provider; a crash shows up as a changed pid and a restart, not as a
 * failed assertion somewhere in the runner. The seeded run sends malformed HTTP, hostile JSON
 * and hostile header values to every proxied endpoint and admin path, with a provider that may
 * answer with hostile values of its own, and checks every answer and the whole log.
 *
 * Replay a run: TOLLGATE_FUZZ_SEED=<the seed it printed> [TOLLGATE_FUZZ_COUNT=n] npm run test:fuzz
 */
describe('fuzz: no input ends the daemon (built dist/tollgate.js as its own process)', function () {
  this.timeout(300_000);
  let fake: FakeUpstream;
  let dir: string;
  let daemon: DaemonUnderTest;
  let firstPid: number;

  before(async () => {
    execFileSync(process.execPath, ['esbuild.mjs', '--if-stale'], { cwd: join(__dirname, '../..'), stdio: 'inherit' });
    fake = await startFakeUpstream({ record: false });
    fake.behave(fuzzBehavior);
    dir = mkdtempSync(join(tmpdir(), 'tollgate-fuzz-'));
    const configPath = join(dir, 'fuzz-config.json');
    writeFileSync(configPath, JSON.stringify(fuzzConfig(fake)));
    daemon = new DaemonUnderTest(dir, configPath, TOKEN);
    await daemon.start();
    firstPid = daemon.pid;
  });
  after(async () => {
    await daemon?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const health = async (): Promise<{ pid: number; pendingLogWrites: number }> => {
    const res = await fetch(`http://127.0.0.1:${daemon.port}/tollgate/v1/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as { pid: number; pendingLogWrites: number };
  };

  /** A daemon that died near the end is started again (and counted), so that its log can be read and the run reported. */
  const healthAfterRun = async (): Promise<{ pid: number; pendingLogWrites: number }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await health();
      } catch (error) {
        if (attempt === 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await daemon.restartIfDead();
      }
    }
  };

  it('survives the requests that ended it in issue 13', async () => {
    // The attacker's unauthenticated request: a model name no header can carry.
    const body = Buffer.from('{"model":"gpt-4o-mini-\u65e5\u672c","messages":[{"role":"user","content":"x"}]}');
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const attack = await sendRaw(daemon.port, { kind: 'raw', chunks: [Buffer.from(head), body], gapMs: 0, then: 'wait' });
    assert.equal(attack.status, 401);
    // The same name through the SDK, served by a provider that names it back; and a stream with deep content and no usage.
    const openai = new OpenAI({ baseURL: `http://127.0.0.1:${daemon.port}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt-4o-mini-\u65e5\u672c', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-model'), encodeURIComponent('gpt-4o-mini-\u65e5\u672c'));
    const deep = `${'['.repeat(50_000)}"x"${']'.repeat(50_000)}`;
    const streamed = await fetch(`http://127.0.0.1:${daemon.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, [UPSTREAM_HEADER]: 'no-usage' },
      body: `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":${deep}}]}`,
    });
    assert.equal(streamed.status, 200);
    await streamed.text();
    // Clients resetting upgraded sockets while they are refused.
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        sendRaw(daemon.port, {
          kind: 'raw',
          chunks: [Buffer.from(`GET /v1/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n${'x'.repeat(100_000)}`)],
          gapMs: i % 4,
          then: 'reset',
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(daemon.crashes, []);
    assert.equal((await health()).pid, firstPid);
  });

  it(`answers ${COUNT} seeded hostile requests, never with a 5xx of its own, logs each proxied one once, and stays up`, async () => {
    console.log(`      fuzz seed ${SEED} (replay: TOLLGATE_FUZZ_SEED=${SEED} npm run test:fuzz)`);
    const since = Date.now();
    const report = await runFuzz({ seed: SEED, count: COUNT, concurrency: CONCURRENCY, daemon });
    for (let i = 0; i < 500 && (await healthAfterRun()).pendingLogWrites > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const log = readLog(dir, since);
    console.log(summarize(report, daemon, log.size).replace(/^/gm, '      '));
    const problems = [
      ...daemon.crashes.map((crash) => `the daemon exited (code ${crash.code}, signal ${crash.signal}): ${crash.stderrTail}`),
      ...daemon.unexpectedReports.map((line) => `reported: ${line}`),
      ...checkAnswers(report.results, log),
      ...checkLog(log, report.results),
    ];
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems with seed ${SEED}`);
    assert.equal((await healthAfterRun()).pid, firstPid, 'the same daemon answers at the end');
  });
});

function fuzzConfig(fake: FakeUpstream): ConfigInput {
  return {
    providers: [
      { id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['sk-fuzz-openai'], modelPrefixes: ['gpt-', 'o1', 'o3', 'o4', 'text-embedding-'] },
      { id: 'anthropic', type: 'anthropic', baseUrl: fake.anthropicBaseUrl, apiKeys: ['sk-fuzz-anthropic'], modelPrefixes: ['claude-'] },
    ],
    models: {
      // A rename on the way upstream (the body is re-serialised), and a downgrade header naming a non-Latin-1 alias.
      'fz-alias': { targets: ['openai/gpt-4o-mini'] },
      'fz-\u65e5\u672c\u0007': { targets: ['openai/gpt-4o'], budget: { dailyUsd: 0.000001, onLimit: 'downgrade', downgradeTo: 'fz-alias' } },
    },
    // One attempt, short timeouts: a stalled provider costs 1.5 s, not two minutes (and a busy machine has 1.5 s to answer).
    resilience: { retries: 0, timeouts: { connectMs: 2_000, firstByteMs: 1_500, idleMs: 1_500 }, deadlineMs: 10_000, maxWaitMs: 500 },
    cache: { enabled: true },
    logging: { maxBodyBytes: 65_536 },
    server: { maxRequestBytes: 4 * 1024 * 1024 },
  };
}
