import type { JobRow } from '../store/job-store';

/** What became of one attempt at a job. */
export type AttemptOutcome =
  | { kind: 'answered'; status: number; body: Buffer; requestId: string | null }
  /** Not the job's fault and not final: rate-limited, or the gateway could not take the call now. */
  | { kind: 'later'; retryAfterMs: number; reason: string };

export interface LoopbackTarget {
  port: number;
  token: string;
}

/** Statuses that say "not now" rather than "no": the job waits and tries again. */
const LATER = new Set([429, 503]);

/**
 * Runs a job as a direct call to the gateway itself, with the daemon token: the job goes through
 * exactly the pipeline a caller's request would (routing, keys and their rate limits, retries,
 * fallback, cache) and is logged once, by that pipeline, like any call. x-tollgate-* headers are
 * never forwarded to a provider.
 */
export async function runJobOnce(job: JobRow, gateway: LoopbackTarget, signal: AbortSignal): Promise<AttemptOutcome> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${gateway.port}${job.endpoint}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gateway.token}`,
        'content-type': 'application/json',
        'x-tollgate-job': job.id,
        // Jobs without a tag of their own are told apart from callers in the log by this one.
        'x-tollgate-tag': job.tag ?? 'tollgate-job',
      },
      body: job.body,
      signal,
    });
  } catch (error) {
    return { kind: 'later', retryAfterMs: 1000, reason: `the gateway did not answer: ${error instanceof Error ? error.message : String(error)}` };
  }
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return { kind: 'later', retryAfterMs: 1000, reason: `the answer was cut: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (LATER.has(response.status)) return { kind: 'later', retryAfterMs: retryAfterMs(response.headers), reason: `HTTP ${response.status}: ${body.toString('utf8', 0, 300)}` };
  return { kind: 'answered', status: response.status, body, requestId: response.headers.get('x-tollgate-request-id') };
}

/** retry-after-ms (the gateway's own 429s) or retry-after in seconds; a second when neither is usable. */
function retryAfterMs(headers: Headers): number {
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, 300_000);
  const seconds = Number(headers.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds * 1000, 300_000);
  return 1000;
}
