import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { startHarness } from '../helpers/harness';
import { buildIfStale, CLI, cliEnv, loggedRows, startCliDaemon, writeTestConfig, type CliDaemon } from '../helpers/cli-daemon';

const run = promisify(execFile);
/** Twelve words: a streamed answer arrives as twelve events, 100 ms apart. */
const ANSWER = 'one two three four five six seven eight nine ten eleven twelve';
const STREAMS = 20;
const JSONS = 20;

interface Delivered {
  id: string;
  text: string;
  connection: string | null;
}

/** A raw keep-alive call, to see the connection header and reuse of the socket as a client library would. */
function keptAliveCall(agent: http.Agent, daemon: CliDaemon, model: string, stream = false): Promise<{ status: number; connection: string | undefined; id: string; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'kept alive' }] });
    const req = http.request(`${daemon.url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, id: String(res.headers['x-tollgate-request-id']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A graceful stop (SIGTERM, SIGINT, `tollgate stop`) of the daemon as users run it: no call that
 * was answered may be missing from the log, streams included, and kept-alive connections are
 * told to close rather than served on and on.
 */
describe('graceful stop: in-flight calls finish and are all logged (built CLI)', function () {
  this.timeout(60_000);
  let fake: FakeUpstream;
  let home: string;
  before(async () => {
    buildIfStale();
    fake = await startFakeUpstream();
  });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tollgate-stop-'));
    writeTestConfig(home, fake);
    // Streams: twelve events 100 ms apart. JSON: gpt-4o answers after 1.5 s, gpt-4o-mini at once.
    fake.behave((req) => {
      const body = req.json as { stream?: boolean; model?: string };
      if (body.stream) return { kind: 'ok', text: ANSWER, chunkDelayMs: 100 };
      return { kind: 'ok', text: ANSWER, latencyMs: body.model === 'gpt-4o' ? 1500 : 0 };
    });
  });
  after(async () => {
    await fake.close();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('SIGTERM with 20 streamed and 20 JSON calls in flight: all delivered whole, all logged; kept-alive clients get connection: close', async () => {
    const daemon = await startCliDaemon(home);
    const client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
    const streamed = Array.from({ length: STREAMS }, async (_, i): Promise<Delivered> => {
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: `stream ${i}` }] })
        .withResponse();
      let text = '';
      let finish: string | null | undefined;
      for await (const chunk of data) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish ??= chunk.choices[0]?.finish_reason;
      }
      assert.equal(finish, 'stop', 'the stream ended as the provider ended it');
      return { id: response.headers.get('x-tollgate-request-id')!, text, connection: response.headers.get('connection') };
    });
    const json = Array.from({ length: JSONS }, async (_, i): Promise<Delivered> => {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `json ${i}` }] }).withResponse();
      return { id: response.headers.get('x-tollgate-request-id')!, text: data.choices[0]!.message.content ?? '', connection: response.headers.get('connection') };
    });
    // Raw keep-alive clients: one idle connection, and one whose stream (its headers out before the
    // stop, promising keep-alive) is followed by another call on the same socket.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await keptAliveCall(idleAgent, daemon, 'gpt-4o-mini');
    const idleSocketClosed = new Promise<number>((resolve) => {
      const socket = Object.values(idleAgent.freeSockets)[0]![0]!;
      socket.once('close', () => resolve(Date.now()));
    });
    const streamKeptAlive = keptAliveCall(busyAgent, daemon, 'gpt-4o-mini', true);
    const nextOnSameSocket = keptAliveCall(busyAgent, daemon, 'gpt-4o-mini');

    await until(() => fake.requests.length >= 1 + STREAMS + JSONS + 1, 'every call to reach the provider');
    // A stream's first event goes at once: give the streams time to have their headers out (the JSON calls answer after 1.5 s).
    await new Promise((resolve) => setTimeout(resolve, 150));
    const signalledAt = Date.now();
    daemon.child.kill('SIGTERM');

    const delivered = await Promise.all([...streamed, ...json]);
    for (const call of delivered) assert.equal(call.text, ANSWER, `call ${call.id} delivered whole`);
    const kept = await streamKeptAlive;
    assert.equal(kept.status, 200);
    assert.match(kept.body, /data: \[DONE\]/, 'the raw stream ended whole');
    // Sent on that same socket as the stream ended, during the drain: served, and told to close.
    const next = await nextOnSameSocket;
    assert.equal(await daemon.exited, 0);

    const rows = new Map(loggedRows(home).map((row) => [row.id, row]));
    const answered = [...delivered.map((call) => call.id), kept.id, next.id];
    assert.deepEqual(answered.filter((id) => !rows.has(id)), [], 'every answered call is in the database');
    for (const id of answered) assert.equal(rows.get(id)!.status, 200, id);
    assert.equal(delivered.slice(0, STREAMS).filter((call) => rows.get(call.id)!.stream === 1).length, STREAMS, 'the streamed calls are logged as streams');

    assert.ok((await idleSocketClosed) - signalledAt < 1000, 'the idle kept-alive connection is closed at once');
    const jsonConnections = delivered.slice(STREAMS).map((call) => call.connection);
    assert.deepEqual([...new Set(jsonConnections)], ['close'], 'JSON answers not yet started at SIGTERM say connection: close');
    assert.deepEqual({ status: next.status, connection: next.connection }, { status: 200, connection: 'close' });
    assert.match(daemon.output(), new RegExp(`${STREAMS + JSONS + 1} calls in flight at the stop finished in [\\d.]+ s`));
    assert.match(daemon.output(), /1 call arriving on open connections meanwhile was served \(with connection: close\)/);
    assert.match(daemon.output(), /every answered call is in the log/);
    idleAgent.destroy();
    busyAgent.destroy();
  });

  it('a kept-alive client that keeps calling after SIGTERM gets at most one more answer per connection, and the daemon exits', async () => {
    const daemon = await startCliDaemon(home);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const results: { status: number; connection: string | undefined; id: string }[] = [];
    let stopped = false;
    let failures = 0;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          results.push(await keptAliveCall(agent, daemon, 'gpt-4o-mini'));
        } catch {
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    await until(() => results.length >= 50, 'the clients to be calling');
    const before = results.length;
    daemon.child.kill('SIGTERM');
    const code = await daemon.exited;
    stopped = true;
    await Promise.all(loops);
    agent.destroy();
    assert.equal(code, 0);
    const after = results.slice(before);
    assert.ok(after.length <= 8, `${after.length} calls answered after SIGTERM (4 connections: at most the calls in flight plus one more each)`);
    assert.ok(failures > 0, 'the clients were refused once the connections were closed');
    const rows = new Set(loggedRows(home).map((row) => row.id));
    assert.deepEqual(results.filter((call) => !rows.has(call.id)).map((call) => call.id), [], 'every answered call is in the database');
  });

  it('tollgate stop waits for a stream in flight, then reports; the stream is delivered whole and logged', async () => {
    const daemon = await startCliDaemon(home);
    const client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'in flight at stop' }] })
      .withResponse();
    const reading = (async () => {
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    })();
    const stopped = await run(process.execPath, [CLI, 'stop'], { env: cliEnv(home) });
    assert.equal(await reading, ANSWER);
    const row = loggedRows(home).find((r) => r.id === response.headers.get('x-tollgate-request-id'));
    assert.deepEqual(row && { status: row.status, stream: row.stream }, { status: 200, stream: 1 }, 'the stream is in the database');
    assert.match(stopped.stdout, new RegExp(`Stopping Tollgate \\(pid ${daemon.pid}\\): finishing 1 call in flight`));
    assert.match(stopped.stdout, new RegExp(`Tollgate stopped \\(pid ${daemon.pid}\\)\\.\\n  1 call in flight at the stop finished in [\\d.]+ s\\n  every answered call is in the log`));
    assert.equal(await daemon.exited, 0);
  });
});

describe('graceful stop: the deadline', () => {
  it('cuts a call still running at the deadline, logs it as failed, and says so', async () => {
    const h = await startHarness();
    try {
      h.fake.behave(() => ({ kind: 'ok', text: ANSWER, chunkDelayMs: 500 }));
      const { data, response } = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'too long' }] }).withResponse();
      const reading = (async () => {
        for await (const _chunk of data);
      })().then(
        () => 'ended as if whole',
        (error: Error) => error,
      );
      const report = await h.gateway.close(300);
      assert.ok((await reading) instanceof Error, 'the client sees the stream fail, not a short answer that looks whole');
      assert.deepEqual({ inFlight: report.inFlight, cut: report.cut, unwritten: report.unwritten }, { inFlight: 1, cut: 1, unwritten: 0 });
      assert.ok(report.stoppedAt! - report.startedAt < 2500, `stopped ${report.stoppedAt! - report.startedAt} ms after the stop began`);
      const row = loggedRows(h.dataDir).find((r) => r.id === response.headers.get('x-tollgate-request-id'));
      assert.deepEqual(row && { status: row.status, errorClass: row.errorClass }, { status: 503, errorClass: 'gateway_shutdown' }, 'logged as cut by the gateway, not the client');
    } finally {
      await h.close();
    }
  });
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
