import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'mocha';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { buildIfStale, loggedRows, startCliDaemon, writeTestConfig, type CliDaemon } from '../helpers/cli-daemon';

/**
 * The durability window the README states: a call's log row is committed within this long of its
 * response closing, so a crash (SIGKILL) loses at most the calls answered in the last WINDOW_MS.
 * (Main batched rows on a 20 ms timer, so a crash lost everything answered in the last 20 ms or more.)
 */
const WINDOW_MS = 15;
/** Load: this many kept-alive connections, each pausing between calls, for LOAD_MS before the kill. */
const CONNECTIONS = 8;
const PAUSE_MS = 5;
const LOAD_MS = 1500;

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a concise assistant for a developer tool.' },
    { role: 'user', content: 'Summarise the difference between latency and throughput in one sentence.' },
  ],
});

interface Answered {
  id: string;
  /** When the client had the whole answer (Date.now()); the gateway closed the response before that. */
  at: number;
}

function call(agent: http.Agent, daemon: CliDaemon): Promise<Answered | undefined> {
  return new Promise((resolve) => {
    const req = http.request(`${daemon.url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? { id: String(res.headers['x-tollgate-request-id']), at: Date.now() } : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Trial {
  answered: number;
  rps: number;
  /** Answered before the kill and not in the database, with how long before the kill each was answered. */
  lostAges: number[];
}

/** Calls under load, SIGKILL, then the database read as it was left. */
async function killUnderLoad(home: string): Promise<Trial> {
  const daemon = await startCliDaemon(home);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const answered: Answered[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const done = await call(agent, daemon);
      if (done) answered.push(done);
      await sleep(PAUSE_MS);
    }
  };
  const loops = Array.from({ length: CONNECTIONS }, loop);
  const started = Date.now();
  await sleep(LOAD_MS);
  const killedAt = Date.now();
  daemon.child.kill('SIGKILL');
  await daemon.exited;
  running = false;
  await Promise.all(loops);
  agent.destroy();
  const logged = new Set(loggedRows(home).map((row) => row.id));
  const lost = answered.filter((a) => a.at <= killedAt && !logged.has(a.id));
  return { answered: answered.length, rps: answered.length / ((killedAt - started) / 1000), lostAges: lost.map((a) => killedAt - a.at) };
}

/**
 * SIGKILL: nothing can flush, so what a crash loses is whatever was not yet committed. Every call
 * answered more than WINDOW_MS before the kill must be in the database.
 */
describe('crash (SIGKILL): rows lost stay within the durability window (built CLI)', function () {
  this.timeout(120_000);
  let fake: FakeUpstream;
  const homes: string[] = [];
  before(async () => {
    buildIfStale();
    fake = await startFakeUpstream({ record: false });
  });
  after(async () => {
    await fake.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  function freshHome(): string {
    const home = mkdtempSync(join(tmpdir(), 'tollgate-kill-'));
    homes.push(home);
    writeTestConfig(home, fake);
    return home;
  }

  it(`a call answered ${WINDOW_MS} ms before a SIGKILL is in the log`, async () => {
    for (let i = 0; i < 4; i++) {
      const home = freshHome();
      const daemon = await startCliDaemon(home);
      const agent = new http.Agent({ keepAlive: true });
      const answered = await call(agent, daemon);
      assert.ok(answered, 'the call was answered');
      await sleep(WINDOW_MS - (Date.now() - answered.at));
      const killedAt = Date.now();
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      agent.destroy();
      const logged = loggedRows(home).some((row) => row.id === answered.id);
      assert.ok(logged, `trial ${i + 1}: the call answered ${killedAt - answered.at} ms before the kill is missing from the log`);
    }
  });

  it('with the cache on, a SIGKILL amid cache writes leaves the database whole: every stored answer has its log row, and a restart serves them', async () => {
    const home = freshHome();
    const configFile = join(home, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), cache: { enabled: true } }));
    const question = (n: number): string => JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: `kill me while caching ${n}` }] });
    const ask = (daemon: CliDaemon, agent: http.Agent, n: number): Promise<string | undefined> =>
      new Promise((resolve) => {
        const req = http.request(`${daemon.url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['x-tollgate-cache'] as string | undefined));
          res.on('error', () => resolve(undefined));
        });
        req.on('error', () => resolve(undefined));
        req.end(question(n));
      });
    const daemon = await startCliDaemon(home);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    let next = 0;
    let running = true;
    const loops = Array.from({ length: CONNECTIONS }, async () => {
      while (running) await ask(daemon, agent, next++);
    });
    await sleep(800);
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    running = false;
    await Promise.all(loops);
    agent.destroy();

    const db = new Database(join(home, 'tollgate.db'), { readonly: true });
    let stored: { request_id: string; body: string }[];
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      stored = db.prepare('SELECT request_id, body FROM cache_entries').all() as { request_id: string; body: string }[];
      const orphans = db.prepare('SELECT count(*) AS n FROM cache_entries c WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = c.request_id)').get() as { n: number };
      assert.equal(orphans.n, 0, 'an answer and its log row are committed together');
    } finally {
      db.close();
    }
    assert.ok(stored.length > 50, `${stored.length} answers stored before the kill`);
    const restarted = await startCliDaemon(home);
    const again = new http.Agent({ keepAlive: true });
    try {
      // The first questions were answered long before the kill: their answers are on disk.
      const states = await Promise.all(Array.from({ length: 10 }, (_, n) => ask(restarted, again, n)));
      assert.deepEqual(states, Array.from({ length: 10 }, () => 'hit'));
    } finally {
      again.destroy();
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });

  it(`under load, loses only calls answered in the last ${WINDOW_MS} ms (reports the loss against the window)`, async () => {
    const trials: Trial[] = [];
    for (let i = 0; i < 3; i++) {
      const trial = await killUnderLoad(freshHome());
      trials.push(trial);
      const lost = trial.lostAges.length;
      console.log(
        `      SIGKILL ${i + 1}: ${trial.answered} calls answered at ${trial.rps.toFixed(0)}/s; ${lost} not in the log ` +
          `(${((lost / trial.rps) * 1000).toFixed(1)} ms of traffic; the ${WINDOW_MS} ms window is ${((trial.rps * WINDOW_MS) / 1000).toFixed(0)} calls), ` +
          `answered ${lost ? `${Math.min(...trial.lostAges)}-${Math.max(...trial.lostAges)} ms` : '-'} before the kill`,
      );
    }
    for (const trial of trials) assert.ok(trial.answered > 300, `the gateway was under load (${trial.answered} calls)`);
    const outside = trials.map((trial) => trial.lostAges.filter((age) => age > WINDOW_MS));
    assert.deepEqual(outside, trials.map(() => []), `calls answered more than ${WINDOW_MS} ms before the kill are missing (ms before the kill, per trial)`);
  });
});
