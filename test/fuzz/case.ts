/**
 * One fuzz request and what the suite expects of it. Expectations are what the gateway promises
 * whatever the input: an answer (unless the client itself left), no 5xx unless the provider
 * failed, and one log row per request that reached a proxy route.
 */
export interface FuzzCase {
  /** Position in the run; also the tag (fz<id>) that finds its log rows. */
  id: number;
  /** What was sent, short enough for a report line. */
  label: string;
  send: HttpSend | RawSend;
  /** Log rows this request must produce: 1 for a request that reached a proxy route (or was refused there), 0 otherwise. */
  logged: number;
  /** The fake provider was told to fail: a 5xx is then the provider's, not the gateway's. */
  upstreamFails: boolean;
  /** The client leaves on purpose: no answer is expected. */
  clientLeaves: boolean;
  /**
   * An upload over the size limit is refused without being read, and the connection closed: a
   * client still sending may see the reset (EPIPE, ECONNRESET) before the 413.
   */
  cutOffOk?: boolean;
}

/** A request Node's HTTP client can send (so headers are valid HTTP; their values may still be hostile). */
export interface HttpSend {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Leave after the response headers (mid-stream), or after sending part of the body. */
  leave?: 'after-headers' | 'mid-body';
}

/** Bytes on a socket, for what no HTTP client would send. */
export interface RawSend {
  kind: 'raw';
  chunks: Buffer[];
  /** Pause between chunks: a slow client. */
  gapMs: number;
  /** After the last chunk: wait for the server to close, or close (FIN) / reset (RST) ourselves. */
  then: 'wait' | 'fin' | 'reset';
}

export interface Outcome {
  /** The first final (non-1xx) status the client saw. */
  status: number | undefined;
  /** Every x-tollgate-request-id the client saw (a raw socket may carry two answers). */
  requestIds: string[];
  /** Why there was no answer: the connection's error, or a timeout. */
  noAnswer: string | undefined;
  ms: number;
}

export const tagOf = (id: number): string => `fz${id}`;
