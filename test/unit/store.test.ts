import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { openDatabase, type Db } from '../../daemon/gateway/store/db';
import { CallSiteQueries } from '../../daemon/gateway/store/callsite-queries';
import { Labels } from '../../daemon/gateway/store/labels';
import { LogWriter } from '../../daemon/gateway/store/log-writer';
import { pruneExpired } from '../../daemon/gateway/store/retention';
import { SCHEMA_VERSION } from '../../daemon/gateway/store/migrations';
import { StatsQueries } from '../../daemon/gateway/store/stats-queries';
import { messageHashes } from '../../daemon/shared/message-hash';
import { row } from '../helpers/log-rows';

const DAY = 86_400_000;

/** The SQLite store on a real database file: what is written, what retention removes, what stats read. */
describe('request log store', () => {
  let dir: string;
  let db: Db;
  let writer: LogWriter;
  let labels: Labels;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-store-'));
    db = openDatabase(join(dir, 'tollgate.db'));
    labels = new Labels(db);
    writer = new LogWriter(join(dir, 'tollgate.db'), () => true);
  });
  after(async () => {
    await writer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits on its own thread, announces what it committed, and close() loses nothing', async () => {
    const file = join(dir, 'closing.db');
    openDatabase(file).close();
    const closing = new LogWriter(file, () => true);
    const announced: string[] = [];
    closing.on('committed', (entries) => announced.push(...entries.map((e) => e.id)));
    const ids = Array.from({ length: 700 }, (_, i) => `req_close_${i}`);
    for (const id of ids) closing.write(row({ id }));
    await closing.close();
    const reader = openDatabase(file);
    const count = (reader.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    const bodies = (reader.prepare('SELECT count(*) AS n FROM bodies').get() as { n: number }).n;
    reader.close();
    assert.equal(count, 700);
    assert.equal(bodies, 700);
    assert.deepEqual(announced.sort(), [...ids].sort());
  });

  it('runs in WAL mode with the latest schema version', () => {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    // Every migration ran: the version is the count of migrations (each branch that adds one raises it).
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 9);
  });

  it('retention removes old bodies, old rows and their call-site index entries, and keeps rollups', async () => {
    const now = Date.now();
    const oldText = 'An old prompt that was sent long ago and should be forgotten by the index.';
    writer.write(row({ ts: now - 100 * DAY, promptTexts: [oldText] }));
    writer.write(row({ ts: now - 10 * DAY }));
    writer.write(row({ ts: now - DAY }));
    await writer.drain();
    const callSites = new CallSiteQueries(db, labels);
    const oldHash = messageHashes(oldText).full;
    assert.equal(callSites.query([{ id: 'old', hashes: [oldHash] }], 0).sites[0]!.calls, 1);
    const indexBefore = (db.prepare('SELECT count(*) AS n FROM message_hashes').get() as { n: number }).n;
    const removed = await pruneExpired(db, { bodyRetentionDays: 7, requestRetentionDays: 90 });
    assert.deepEqual({ bodies: removed.bodies, requests: removed.requests }, { bodies: 2, requests: 1 });
    assert.equal(removed.hashes, 3, 'full, head and tail of the one expired prompt');
    assert.equal((db.prepare('SELECT count(*) AS n FROM message_hashes').get() as { n: number }).n, indexBefore - 3);
    assert.equal(callSites.query([{ id: 'old', hashes: [oldHash] }], 0).sites[0]!.calls, 0);
    const stats = new StatsQueries(db).query({ since: now - 200 * DAY, until: now, bucket: 'day', tzOffsetMinutes: 0 });
    assert.equal(stats.totals.requests, 3, 'rollups keep the history the stats show');
  });

  it('stats over a range are exact at partial-hour edges', async () => {
    const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 5 * 3_600_000;
    for (const minutes of [10, 70, 130, 250]) writer.write(row({ ts: base + minutes * 60_000, requestedModel: 'edge-model', servedModel: 'edge-model', costUsd: 0.5 }));
    await writer.drain();
    const stats = new StatsQueries(db).query({ since: base + 30 * 60_000, until: base + 200 * 60_000, bucket: 'hour', tzOffsetMinutes: 0 });
    const edge = stats.byModel.find((m) => m.model === 'edge-model');
    assert.equal(edge?.requests, 2, 'the calls at +70 and +130 minutes, not those at +10 and +250');
    assert.equal(edge?.costUsd, 1);
  });
});
