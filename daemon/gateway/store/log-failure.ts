/** Why the last commit failed, while commits keep failing. */
export interface LogFailure {
  /** What a user can act on: "the disk is full", "the database is locked by another process"… */
  cause: string;
  /** SQLite's own words, for the logs. */
  detail: string;
  /** When the first failure of this run happened (ms since the epoch). */
  since: number;
  /** Commits tried and failed since then. */
  attempts: number;
  /** When the next try is due. */
  nextRetryAt: number;
}

/** Retries start fast (a lock held briefly) and settle at a pace that costs nothing while a disk stays full. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 4_000;

/**
 * Failures that a retry can outlast: the condition is in the environment (space, permissions,
 * another process's lock), not in the rows. Anything else (a constraint, a type mismatch) is a
 * problem with one row, which retrying would repeat forever.
 */
const TRANSIENT = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM|PROTOCOL|INTERRUPT|CORRUPT|NOTADB|AUTH|PERM)/;

export function isTransient(code: string | undefined): boolean {
  return code === undefined || TRANSIENT.test(code);
}

/** The failing state of the log: when it began, how often it was tried, when to try again. */
export class FailureTracker {
  private failure: LogFailure | undefined;

  get current(): LogFailure | undefined {
    return this.failure;
  }

  /** Records a failed commit; returns how long to wait before the next try. */
  failed(message: string, code: string | undefined, now = Date.now()): number {
    const attempts = (this.failure?.attempts ?? 0) + 1;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
    this.failure = { cause: describeCause(code, message), detail: message, since: this.failure?.since ?? now, attempts, nextRetryAt: now + delay };
    return delay;
  }

  /** A commit went through; returns the failure it ended, if there was one. */
  succeeded(): LogFailure | undefined {
    const ended = this.failure;
    this.failure = undefined;
    return ended;
  }
}

export function describeCause(code: string | undefined, message: string): string {
  if (!code) return message;
  if (code.startsWith('SQLITE_FULL')) return 'the disk (or the database) is full';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'the database is read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_IOERR')) return `the disk failed a write (${message})`;
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened';
  return message;
}
