import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { buildIfStale, startCliDaemon, writeTestConfig } from '../helpers/cli-daemon';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const DB_FILES = ['tollgate.db', 'tollgate.db-wal', 'tollgate.db-shm'];

/** The data directory holds the token, prompts and answers: the README promises 0700 and 0600. */
describe('data directory and database permissions (built CLI)', function () {
  this.timeout(60_000);
  let fake: FakeUpstream;
  const homes: string[] = [];
  before(async () => {
    buildIfStale();
    fake = await startFakeUpstream();
  });
  after(async () => {
    await fake.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** A data directory as a user may already have one: world-readable (0755), with the config in it. */
  function existingHome(): string {
    const home = mkdtempSync(join(tmpdir(), 'tollgate-perm-'));
    homes.push(home);
    chmodSync(home, 0o755);
    writeTestConfig(home, fake);
    return home;
  }

  async function callOnceThenStop(home: string): Promise<void> {
    const daemon = await startCliDaemon(home);
    try {
      const client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
      // While it runs: the -wal and -shm files exist now.
      assert.equal(mode(home), '700', 'the data directory');
      for (const file of DB_FILES) assert.equal(mode(join(home, file)), '600', file);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  }

  it('creates the database, -wal and -shm 0600 and tightens a pre-existing 0755 data directory to 0700', async () => {
    await callOnceThenStop(existingHome());
  });

  it('tightens a database an earlier version left 0644 (with its -wal and -shm) to 0600', async () => {
    const home = existingHome();
    const old = new Database(join(home, 'tollgate.db'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE leftover (x)');
    for (const file of DB_FILES) chmodSync(join(home, file), 0o644);
    try {
      await callOnceThenStop(home);
    } finally {
      old.close();
    }
  });
});
