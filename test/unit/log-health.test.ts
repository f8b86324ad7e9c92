import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { LogHealth } from '../../daemon/gateway/api/contracts';
import { logWarnings, statsIncompleteness } from '../../daemon/gateway/api/log-health';
import { describeCause, FailureTracker, isTransient } from '../../daemon/gateway/store/log-failure';

const NOW = 1_800_000_000_000;
const healthy: LogHealth = { pending: 0, dropped: 0, droppedCause: null, bodiesDropped: 0, failing: null };
const diskFull: LogHealth = {
  ...healthy,
  pending: 128,
  failing: { cause: 'the disk (or the database) is full', since: NOW - 12_000, attempts: 5, nextRetryAt: NOW + 4000 },
};

describe('request log health in words (api/log-health.ts)', () => {
  const cases: { name: string; log: LogHealth; warnings: string[]; incomplete: string | undefined }[] = [
    { name: 'healthy', log: healthy, warnings: [], incomplete: undefined },
    { name: 'a few calls being written: no warning, but stats say so', log: { ...healthy, pending: 3 }, warnings: [], incomplete: '3 finished calls not counted yet: they are being written' },
    {
      name: 'disk full',
      log: diskFull,
      warnings: ['request log: cannot write for 12 s: the disk (or the database) is full; 128 calls held in memory, retrying'],
      incomplete: '128 finished calls not counted yet: the log cannot be written (the disk (or the database) is full); they are held and retried',
    },
    {
      name: 'calls dropped at the bound, then recovered',
      log: { ...healthy, dropped: 1, droppedCause: 'the log was already holding 20000 unwritten calls, its limit', bodiesDropped: 2 },
      warnings: [
        'request log: 1 call since the daemon started will never be logged: the log was already holding 20000 unwritten calls, its limit',
        'request log: 2 calls logged without their bodies (memory for held bodies was full)',
      ],
      incomplete: '1 call since the daemon started will never be counted: the log was already holding 20000 unwritten calls, its limit',
    },
  ];
  for (const { name, log, warnings, incomplete } of cases) {
    it(name, () => {
      assert.deepEqual(logWarnings(log, NOW), warnings);
      assert.equal(statsIncompleteness(log)?.reason, incomplete);
    });
  }
});

describe('log write failures (store/log-failure.ts)', () => {
  it('retries after 0.25 s, doubling to every 4 s, and remembers when the failure began', () => {
    const tracker = new FailureTracker();
    const delays = Array.from({ length: 7 }, (_, i) => tracker.failed('database or disk is full', 'SQLITE_FULL', NOW + i));
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 4000, 4000]);
    assert.equal(tracker.current?.since, NOW);
    assert.equal(tracker.succeeded()?.attempts, 7);
    assert.equal(tracker.current, undefined);
  });

  it('tells conditions that pass from rows the database refuses, and names the cause', () => {
    const table: [string | undefined, boolean, string][] = [
      ['SQLITE_FULL', true, 'the disk (or the database) is full'],
      ['SQLITE_IOERR_WRITE', true, 'the disk failed a write (disk I/O error)'],
      ['SQLITE_BUSY', true, 'the database is locked by another process'],
      ['SQLITE_READONLY_DBMOVED', true, 'the database is read-only'],
      ['SQLITE_CONSTRAINT_UNIQUE', false, 'disk I/O error'],
      [undefined, true, 'disk I/O error'],
    ];
    for (const [code, transient, cause] of table) {
      assert.equal(isTransient(code), transient, String(code));
      assert.equal(describeCause(code, 'disk I/O error'), cause, String(code));
    }
  });
});
