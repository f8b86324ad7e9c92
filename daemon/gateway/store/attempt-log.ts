/** One attempt of a call, read back from its compact log line (pipeline/proxy.ts noteAttempts). */
export interface LoggedAttempt {
  provider: string;
  /** "provider/model" as the call's attempts name it, or the provider alone for the row itself. */
  target: string;
  key: string;
  /** The HTTP status the attempt got, or null when it failed without one (timeout, connection). */
  status: number | null;
  ms: number;
}

/** `openai/gpt-4o[openai#1] 429 rate_limited 12ms > anthropic/claude-x[ant] 200 340ms` */
const ATTEMPT = /^(([^/\s[]+)\/[^[]*)\[([^\]]*)\] (\S+)(?: \S+)* (\d+)ms$/;

/**
 * The attempts a logged call made. A call whose log line is null made at most one attempt, which
 * the row itself describes (its provider, key and status); a line that does not parse is skipped
 * rather than guessed at.
 */
export function attemptsOf(row: { attemptLog: string | null; provider: string | null; keyAlias: string | null; status: number; latencyMs: number; attempts: number }): LoggedAttempt[] {
  if (row.attemptLog === null) {
    if (row.attempts === 0 && row.status !== 429) return [];
    return row.provider ? [{ provider: row.provider, target: row.provider, key: row.keyAlias ?? '', status: row.status, ms: Math.round(row.latencyMs) }] : [];
  }
  const attempts: LoggedAttempt[] = [];
  for (const part of row.attemptLog.split(' > ')) {
    const match = ATTEMPT.exec(part);
    if (!match) continue;
    const status = /^\d{3}$/.test(match[4]!) ? Number(match[4]) : null;
    attempts.push({ provider: match[2]!, target: match[1]!, key: match[3]!, status, ms: Number(match[5]) });
  }
  return attempts;
}
