import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * shutdown.json: what a stopping daemon did, for `tollgate stop` (which only sends a signal) and
 * for anyone reading the data directory afterwards. Written when the stop begins and again when
 * it is over.
 */
export const shutdownReport = z.object({
  pid: z.number().int(),
  phase: z.enum(['draining', 'stopped']),
  /** What asked it to stop: SIGTERM, SIGINT, or "close" (an embedding program). */
  reason: z.string(),
  startedAt: z.number(),
  /** When calls still in flight are cut. */
  deadlineAt: z.number(),
  /** Calls in flight when the stop began. */
  inFlight: z.number(),
  /** Calls that arrived on kept-alive connections during the drain (served with connection: close). */
  servedDuringDrain: z.number(),
  /** Calls cut at the deadline (logged, as failed). */
  cut: z.number(),
  /** Finished calls the log could not write before the process ended: lost. */
  unwritten: z.number(),
  /** Calls not logged since the daemon started (see GET health log.dropped). */
  dropped: z.number(),
  stoppedAt: z.number().nullable(),
});
export type ShutdownReport = z.infer<typeof shutdownReport>;

export const SHUTDOWN_FILE = 'shutdown.json';

/** How long a stop lets calls in flight finish: long answers and streams take tens of seconds. */
export const DRAIN_DEADLINE_MS = 30_000;
/** How long a stop then keeps trying to commit the log (a disk that is full right now). */
export const LOG_FLUSH_MS = 5_000;

export function writeShutdownReport(dir: string, report: ShutdownReport): void {
  const temporary = join(dir, `${SHUTDOWN_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, join(dir, SHUTDOWN_FILE));
}

/** The report of the daemon with this pid, if it wrote one. */
export function readShutdownReport(dir: string, pid: number): ShutdownReport | undefined {
  try {
    const parsed = shutdownReport.safeParse(JSON.parse(readFileSync(join(dir, SHUTDOWN_FILE), 'utf8')));
    return parsed.success && parsed.data.pid === pid ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The report in words, one line per fact, for the daemon's own output and for `tollgate stop`. */
export function describeShutdown(report: ShutdownReport): string[] {
  const calls = (n: number): string => `${n} call${n === 1 ? '' : 's'}`;
  const seconds = report.stoppedAt === null ? '' : ` in ${((report.stoppedAt - report.startedAt) / 1000).toFixed(1)} s`;
  const finished = report.inFlight + report.servedDuringDrain - report.cut;
  const lines = [
    report.cut === 0
      ? `${calls(report.inFlight)} in flight at the stop finished${seconds}`
      : `${finished} of ${calls(report.inFlight + report.servedDuringDrain)} finished; ${report.cut} cut at the deadline (logged as failed)${seconds}`,
  ];
  const served = report.servedDuringDrain;
  if (served > 0) lines.push(`${calls(served)} arriving on open connections meanwhile ${served === 1 ? 'was' : 'were'} served (with connection: close)`);
  if (report.unwritten > 0) lines.push(`${calls(report.unwritten)} could not be written to the log before exit and are lost (see the daemon's log for why)`);
  else lines.push('every answered call is in the log');
  if (report.dropped > 0) lines.push(`${calls(report.dropped)} since the daemon started were never logged (see the daemon's log)`);
  return lines;
}
