import type { LogStatus } from '../store/log-writer';
import type { LogHealth, StatsIncomplete } from './contracts';

/** The log writer's state as the admin API reports it. */
export function logHealthOf(status: LogStatus): LogHealth {
  const failing = status.failing;
  return {
    pending: status.pending,
    dropped: status.dropped,
    droppedCause: status.droppedCause ?? null,
    bodiesDropped: status.bodiesDropped,
    failing: failing ? { cause: failing.cause, since: failing.since, attempts: failing.attempts, nextRetryAt: failing.nextRetryAt } : null,
  };
}

/**
 * The health warnings a user should see (`tollgate status`, the editor's status bar): a log that
 * cannot be written, or calls that will never be in it. A few calls pending for milliseconds are
 * normal and not a warning.
 */
export function logWarnings(log: LogHealth, now = Date.now()): string[] {
  const warnings: string[] = [];
  if (log.failing) {
    const seconds = Math.max(0, Math.round((now - log.failing.since) / 1000));
    warnings.push(`request log: cannot write for ${seconds} s: ${log.failing.cause}; ${plural(log.pending, 'call')} held in memory, retrying`);
  }
  if (log.dropped > 0) warnings.push(`request log: ${plural(log.dropped, 'call')} since the daemon started will never be logged: ${log.droppedCause ?? 'unknown cause'}`);
  if (log.bodiesDropped > 0) warnings.push(`request log: ${plural(log.bodiesDropped, 'call')} logged without their bodies (memory for held bodies was full)`);
  return warnings;
}

/** Stats leave out calls not yet committed and calls never logged: they say so, with the counts. */
export function statsIncompleteness(log: LogHealth): StatsIncomplete | undefined {
  if (log.pending === 0 && log.dropped === 0) return undefined;
  const parts: string[] = [];
  if (log.pending > 0) {
    const why = log.failing ? `the log cannot be written (${log.failing.cause}); they are held and retried` : 'they are being written';
    parts.push(`${plural(log.pending, 'finished call')} not counted yet: ${why}`);
  }
  if (log.dropped > 0) parts.push(`${plural(log.dropped, 'call')} since the daemon started will never be counted: ${log.droppedCause ?? 'unknown cause'}`);
  return { pending: log.pending, dropped: log.dropped, reason: parts.join('; ') };
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
