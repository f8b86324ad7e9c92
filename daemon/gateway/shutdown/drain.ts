import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { markCutByShutdown } from './cut-calls';

export interface DrainResult {
  /** Calls in flight when the stop began. */
  inFlight: number;
  /** Calls that arrived on kept-alive connections during the drain (served, with connection: close). */
  servedDuringDrain: number;
  /** Calls still unfinished at the deadline (or at a second signal): cut, and logged as such. */
  cut: number;
}

/**
 * A kept-alive connection whose last response has just ended stays open this long before it is
 * closed: a client that had already sent its next request is then answered (with connection:
 * close) instead of losing it to a reset.
 */
const IDLE_GRACE_MS = 100;
/** After cutting, the responses' close events (which write their log rows) come within a tick or two. */
const CUT_SETTLE_MS = 2_000;

/**
 * Stops the server the way a proxy should: no new connections; idle kept-alive connections
 * closed at once; every response not yet started, and every request that still arrives on an
 * open connection, answered with `connection: close`; connections closed as their responses
 * end; and the calls in flight (JSON or streams) left to finish until the deadline, when the
 * rest are cut. Serving a request that arrives during the drain, rather than refusing it with a
 * 503, keeps a call the client has already sent from failing: SDKs retry a 503 on a fresh
 * connection, which the stopped listener would refuse anyway, and `connection: close` bounds it to
 * one more call per connection.
 */
export class ConnectionDrain {
  private readonly active = new Set<ServerResponse>();
  /** Responses in progress per connection: a connection with none is idle. */
  private readonly busy = new Map<Socket, number>();
  private draining = false;
  private forced = false;
  private servedDuringDrain = 0;
  /** Wakes the drain when a response closes or cut() is called. */
  private notify: (() => void) | undefined;

  constructor(private readonly server: Server) {
    // First, so that headers can still be set before any handler writes them.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.track(req.socket, res));
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** Ends the drain early: what is still in flight is cut now (a second Ctrl-C). */
  cut(): void {
    this.forced = true;
    this.notify?.();
  }

  async drain(deadlineMs: number): Promise<DrainResult> {
    this.draining = true;
    const inFlight = this.active.size;
    for (const res of this.active) closeWhenDone(res);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.settle(Date.now() + deadlineMs);
    const cut = this.active.size;
    if (cut > 0) await this.cutAll();
    this.server.closeAllConnections();
    await closed;
    return { inFlight, servedDuringDrain: this.servedDuringDrain, cut };
  }

  /** Until no call is in flight and none arrived during the idle grace, the deadline passes, or cut(). */
  private async settle(deadline: number): Promise<void> {
    while (!this.forced && Date.now() < deadline) {
      const idle = this.active.size === 0;
      await this.waitForClose(Math.min(idle ? IDLE_GRACE_MS : Number.POSITIVE_INFINITY, deadline - Date.now()));
      if (idle && this.active.size === 0) return;
    }
  }

  private waitForClose(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.notify?.(), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      this.notify = () => {
        clearTimeout(timer);
        this.notify = undefined;
        resolve();
      };
    });
  }

  private track(socket: Socket, res: ServerResponse): void {
    this.active.add(res);
    this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
    if (this.draining) {
      this.servedDuringDrain++;
      closeWhenDone(res);
    }
    res.once('close', () => {
      this.active.delete(res);
      const left = this.busy.get(socket)! - 1;
      if (left > 0) this.busy.set(socket, left);
      else this.busy.delete(socket);
      if (!this.draining) return;
      // Its connection may be kept alive (its headers went out before the drain began): closed
      // once idle, after the grace its own client gets to send a request it already had queued.
      setTimeout(() => !this.busy.has(socket) && socket.destroy(), IDLE_GRACE_MS).unref();
      if (this.active.size === 0) this.notify?.();
    });
  }

  /** Cuts every connection and waits for the responses' close events, which log the cut calls. */
  private async cutAll(): Promise<void> {
    for (const res of this.active) markCutByShutdown(res);
    this.server.closeAllConnections();
    const deadline = Date.now() + CUT_SETTLE_MS;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Node closes the connection after a response that says `connection: close`. */
function closeWhenDone(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
