import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import { AdminClient } from '../../daemon/gateway/api/client';
import type { HealthResponse } from '../../daemon/gateway/api/contracts';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { buildIfStale, CLI, cliEnv, loggedRows, startCliDaemon, writeTestConfig, type CliDaemon } from '../helpers/cli-daemon';

const run = promisify(execFile);
const CALLS = 60;

/** Mounts a small tmpfs (root only); undefined when this machine does not allow it. */
function mountSmallTmpfs(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/** Writes until the filesystem has no room left. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The data directory's filesystem fills up while calls keep coming: every answered call must
 * still reach the log once there is room again, and until then the gateway says so where a user
 * looks (health, `tollgate status`, `tollgate stats`), with the counts.
 */
describe('a full disk under the request log (built CLI, tmpfs)', function () {
  this.timeout(90_000);
  let fake: FakeUpstream;
  let home: string | undefined;
  let daemon: CliDaemon | undefined;
  before(async function () {
    home = mountSmallTmpfs();
    if (!home) {
      console.log('      skipped: mounting a tmpfs needs root (and a kernel that allows it); the disk-full behaviour is not tested here');
      this.skip();
    }
    buildIfStale();
    fake = await startFakeUpstream();
    writeTestConfig(home, fake);
  });
  after(async () => {
    if (daemon) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    await fake?.close();
    if (home) {
      execFileSync('umount', ['-l', home]);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('holds answered calls while the disk is full, warns in health, status and stats, and logs them all once there is room', async () => {
    const dir = home!;
    daemon = await startCliDaemon(dir);
    const admin = new AdminClient(daemon);
    const client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
    const ask = (content: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).withResponse();
    const answered: { id: string; cost: number }[] = [];
    const note = ({ response }: Awaited<ReturnType<typeof ask>>): void => {
      answered.push({ id: response.headers.get('x-tollgate-request-id')!, cost: Number(response.headers.get('x-tollgate-cost-usd')) });
    };
    note(await ask('before the disk fills'));
    await until('the first call to be logged', async () => ((await admin.health()).pendingLogWrites === 0 ? true : undefined));

    fill(join(dir, 'filler'));
    for (let i = 0; i < CALLS; i++) note(await ask(`while the disk is full ${i} ${'x'.repeat(2000)}`));
    assert.equal(answered.length, CALLS + 1, 'every call is answered although the log cannot be written');

    let last: HealthResponse | undefined;
    const failing = await until('health to warn about the log', async () => {
      last = await admin.health();
      return last.warnings.some((w) => w.startsWith('request log:')) ? last : undefined;
    }, 10_000).catch((error: Error) => {
      throw new Error(`${error.message}; last health: ${JSON.stringify(last)}`);
    });
    // SQLite may still fit a few commits into space it already holds (the WAL starting over), so
    // not every call need be waiting: those that are, are held.
    const held = failing.log.pending;
    assert.ok(held > 0 && held <= CALLS, `${held} calls held`);
    assert.match(failing.warnings.join('\n'), new RegExp(`request log: cannot write for \\d+ s: the disk \\(or the database\\) is full; ${held} calls? held in memory, retrying`));
    assert.equal(failing.log.failing?.cause, 'the disk (or the database) is full');
    assert.equal(failing.log.dropped, 0);

    const status = await run(process.execPath, [CLI, 'status'], { env: cliEnv(dir) });
    assert.match(status.stdout, new RegExp(`warning: +request log: cannot write .*disk \\(or the database\\) is full; ${held} calls? held in memory`));
    const stats = await run(process.execPath, [CLI, 'stats', '--since', '1h'], { env: cliEnv(dir) });
    assert.match(stats.stdout, new RegExp(`Incomplete: ${held} finished calls? not counted yet: the log cannot be written \\(the disk \\(or the database\\) is full\\)`));
    const partial = await admin.stats({ since: Date.now() - 3_600_000 });
    assert.deepEqual(partial.incomplete && { pending: partial.incomplete.pending, dropped: partial.incomplete.dropped }, { pending: held, dropped: 0 });
    assert.equal(partial.totals.requests, CALLS + 1 - held, 'the stats count what is committed, and say what is not');

    rmSync(join(dir, 'filler'));
    const healthy = await until<HealthResponse>('the log to catch up', async () => {
      const health = await admin.health();
      return health.log.pending === 0 && !health.log.failing ? health : undefined;
    });
    assert.deepEqual(healthy.warnings.filter((w) => w.startsWith('request log:')), [], 'the warning is gone');
    assert.equal(healthy.log.dropped, 0);
    const logged = new Set(loggedRows(dir).map((row) => row.id));
    assert.deepEqual(answered.filter((call) => !logged.has(call.id)), [], 'every answered call is in the database');
    const complete = await admin.stats({ since: Date.now() - 3_600_000 });
    assert.equal(complete.incomplete, undefined);
    assert.equal(complete.totals.requests, CALLS + 1);
    const spent = answered.reduce((sum, call) => sum + call.cost, 0);
    assert.ok(Math.abs(complete.totals.costUsd - spent) < 1e-12, `stats spend ${complete.totals.costUsd} = answered ${spent}`);
    assert.doesNotMatch((await run(process.execPath, [CLI, 'status'], { env: cliEnv(dir) })).stdout, /request log/);
  });
});
