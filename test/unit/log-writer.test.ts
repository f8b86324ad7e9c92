import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { openDatabase, type Db } from '../../daemon/gateway/store/db';
import type { LogFailure } from '../../daemon/gateway/store/log-failure';
import { LogWriter } from '../../daemon/gateway/store/log-writer';
import { PendingRows } from '../../daemon/gateway/store/pending-rows';
import { RowCommitter } from '../../daemon/gateway/store/row-committer';
import { row } from '../helpers/log-rows';

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

describe('pending rows: what the log holds while it cannot write', () => {
  it('keeps order across a failed batch, drops (and counts) calls past its row bound', () => {
    const pending = new PendingRows({ maxRows: 3, maxBodyBytes: 1_000_000 });
    for (const id of ['a', 'b', 'c', 'd']) pending.push(row({ id }));
    assert.deepEqual({ size: pending.size, dropped: pending.dropped }, { size: 3, dropped: 1 });
    assert.deepEqual(pending.take(2).map((r) => r.id), ['a', 'b']);
    assert.equal(pending.push(row({ id: 'e' })), false, 'the batch being committed still counts toward the bound');
    pending.putBack();
    assert.deepEqual(pending.take(10).map((r) => r.id), ['a', 'b', 'c']);
    pending.settle();
    assert.deepEqual({ size: pending.size, dropped: pending.dropped }, { size: 0, dropped: 2 });
  });

  it('holds calls without their bodies once the bodies fill their memory, and counts them', () => {
    const pending = new PendingRows({ maxRows: 100, maxBodyBytes: 100 });
    const body = Buffer.alloc(40);
    for (const id of ['a', 'b', 'c']) pending.push(row({ id, requestBody: body, responseBody: body }));
    const rows = pending.take(10);
    assert.deepEqual(rows.map((r) => Boolean(r.requestBody)), [true, false, false]);
    assert.equal(pending.bodiesDropped, 2);
    pending.settle();
    pending.push(row({ id: 'd', requestBody: body, responseBody: body }));
    assert.ok(pending.take(1)[0]!.requestBody, 'memory is given back once rows are committed');
  });
});

describe('row committer: one bad row never holds back the rest', () => {
  let dir: string;
  let db: Db;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-committer-'));
    db = openDatabase(join(dir, 'tollgate.db'));
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the other rows of a batch and rejects only the row the database refuses', () => {
    const committer = new RowCommitter(db);
    committer.commit([row({ id: 'req_dup' })], true);
    const result = committer.commit([row({ id: 'req_ok1' }), row({ id: 'req_dup' }), row({ id: 'req_ok2' })], true);
    assert.deepEqual(result.rejected.map((r) => r.id), ['req_dup']);
    assert.match(result.rejected[0]!.message, /UNIQUE/);
    assert.equal(count(db, `SELECT count(*) AS n FROM requests WHERE id LIKE 'req_ok%'`), 2);
    assert.equal(count(db, `SELECT requests AS n FROM rollup_hourly r JOIN labels m ON m.id = r.model WHERE m.value = 'gpt-4o-mini'`), 3, 'rollups count what was committed');
  });

  it('labels interned by a rolled-back write are not reused for other values', () => {
    const committer = new RowCommitter(db);
    // The failing batch interns "model-a" before its duplicate id is refused, then rolls back.
    committer.commit([row({ id: 'req_first' })], true);
    committer.commit([row({ id: 'req_first', requestedModel: 'model-a', servedModel: 'model-a' })], true);
    committer.commit([row({ id: 'req_b', requestedModel: 'model-b', servedModel: 'model-b' })], true);
    committer.commit([row({ id: 'req_a', requestedModel: 'model-a', servedModel: 'model-a' })], true);
    const modelOf = (id: string): string =>
      (db.prepare('SELECT m.value AS model FROM requests r JOIN labels m ON m.id = r.requested_model WHERE r.id = ?').get(id) as { model: string }).model;
    assert.equal(modelOf('req_a'), 'model-a');
    assert.equal(modelOf('req_b'), 'model-b');
  });
});

describe('log writer while the database cannot be written', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-writer-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds calls (up to its bound, counting the rest), says why, and commits them once the lock is gone', async () => {
    const file = join(dir, 'locked.db');
    openDatabase(file).close();
    const writer = new LogWriter(file, () => true, { limits: { maxRows: 5, maxBodyBytes: 1_000_000 } });
    const errors: string[] = [];
    const recovered: LogFailure[] = [];
    writer.on('error', (error) => errors.push(error.message));
    writer.on('recovered', (failure) => recovered.push(failure));
    // Another process holds the write lock (a database browser, a backup…) past the busy timeout.
    const other = openDatabase(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < 8; i++) writer.write(row({ id: `req_locked_${i}` }));
      const deadline = Date.now() + 15_000;
      while (!writer.status().failing && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const status = writer.status();
      assert.equal(status.failing?.cause, 'the database is locked by another process');
      assert.deepEqual({ pending: status.pending, dropped: status.dropped }, { pending: 5, dropped: 3 });
      assert.ok(errors.some((message) => /locked by another process/.test(message)), errors.join('\n'));
      assert.ok(errors.some((message) => /further calls are not logged/.test(message)), errors.join('\n'));
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    assert.equal(await writer.drain(15_000), true);
    assert.equal(writer.status().failing, undefined);
    assert.equal(recovered.length, 1);
    assert.equal(await writer.close(), 0);
    const reader = openDatabase(file);
    assert.equal(count(reader, 'SELECT count(*) AS n FROM requests'), 5);
    reader.close();
  });

  it('close() stops waiting at its deadline and says how many calls it could not write', async () => {
    const file = join(dir, 'stuck.db');
    openDatabase(file).close();
    const writer = new LogWriter(file, () => true);
    writer.on('error', () => undefined);
    await writer.ready;
    const other = openDatabase(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < 3; i++) writer.write(row({ id: `req_stuck_${i}` }));
      assert.equal(await writer.close(200), 3);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
