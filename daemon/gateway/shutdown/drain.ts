import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
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

/** Responses in progress on a connection (none: idle), and the latest of them. */
const kBusy = Symbol('tollgate.responsesInProgress');
const kLatest = Symbol('tollgate.latestResponse');
type TrackedSocket = Socket & { [kBusy]?: number; [kLatest]?: ServerResponse | undefined };

/** Node passes (req, options) to the response class; the typings know only req. */
const NodeServerResponse = ServerResponse as unknown as new (req: IncomingMessage, options?: object) => ServerResponse;

/**
 * Stops the server the way a proxy should: no new connections; idle kept-alive connections
 * closed at once; every response not yet started, and every request that still arrives on an
 * open connection, answered with `connection: close`; connections closed as their responses
 * end; and the calls in flight (JSON or streams) left to finish until the deadline, when the
 * rest are cut. Serving a request that arrives during the drain, rather than refusing it with a
 * 503, keeps a call the client has already sent from failing: SDKs retry a 503 on a fresh
 * connection, which the stopped listener would refuse anyway, and `connection: close` bounds it to
 * one more call per connection.
 *
 * Responses are followed through the server's response class (`responseClass`, for createServer),
 * counted, and found through their connections, as Node itself does: keeping them in a Set, or a
 * second 'close' listener on each, cost the gateway about 40 MB of peak memory under load
 * (npm run bench).
 */
export class ConnectionDrain {
  readonly responseClass: typeof ServerResponse;
  private server: Server | undefined;
  /** Open connections (added once per connection, not per call). */
  private readonly sockets = new Set<TrackedSocket>();
  private active = 0;
  private draining = false;
  private forced = false;
  private servedDuringDrain = 0;
  /** Wakes the drain when a response closes or cut() is called. */
  private notify: (() => void) | undefined;

  constructor() {
    const drain = this;
    this.responseClass = class DrainAwareResponse extends NodeServerResponse {
      constructor(req: IncomingMessage, options?: object) {
        super(req, options);
        drain.opened(this);
      }

      override emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'close') drain.closed(this);
        return super.emit(event, ...args);
      }
    } as unknown as typeof ServerResponse;
  }

  /** The server created with responseClass. */
  attach(server: Server): void {
    this.server = server;
    server.on('connection', (socket: TrackedSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get inFlight(): number {
    return this.active;
  }

  /** Ends the drain early: what is still in flight is cut now (a second Ctrl-C). */
  cut(): void {
    this.forced = true;
    this.notify?.();
  }

  async drain(deadlineMs: number): Promise<DrainResult> {
    const server = this.server!;
    this.draining = true;
    const inFlight = this.active;
    for (const res of this.inProgress()) closeWhenDone(res);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await this.settle(Date.now() + deadlineMs);
    const cut = this.active;
    if (cut > 0) await this.cutAll();
    server.closeAllConnections();
    await closed;
    return { inFlight, servedDuringDrain: this.servedDuringDrain, cut };
  }

  private opened(res: ServerResponse): void {
    this.active++;
    const socket: TrackedSocket = res.req.socket;
    socket[kBusy] = (socket[kBusy] ?? 0) + 1;
    socket[kLatest] = res;
    if (this.draining) {
      this.servedDuringDrain++;
      closeWhenDone(res);
    }
  }

  private closed(res: ServerResponse): void {
    this.active--;
    const socket: TrackedSocket = res.req.socket;
    socket[kBusy] = (socket[kBusy] ?? 1) - 1;
    if (socket[kLatest] === res) socket[kLatest] = undefined;
    if (!this.draining) return;
    // Its connection may be kept alive (its headers went out before the drain began): closed
    // once idle, after the grace its own client gets to send a request it already had queued.
    setTimeout(() => socket[kBusy] === 0 && socket.destroy(), IDLE_GRACE_MS).unref();
    if (this.active === 0) this.notify?.();
  }

  /** The responses in progress (the latest on each connection; HTTP/1.1 clients do not pipeline). */
  private *inProgress(): Iterable<ServerResponse> {
    for (const socket of this.sockets) {
      const res = socket[kLatest];
      if (res) yield res;
    }
  }

  /** Until no call is in flight and none arrived during the idle grace, the deadline passes, or cut(). */
  private async settle(deadline: number): Promise<void> {
    while (!this.forced && Date.now() < deadline) {
      const idle = this.active === 0;
      await this.waitForClose(Math.min(idle ? IDLE_GRACE_MS : Number.POSITIVE_INFINITY, deadline - Date.now()));
      if (idle && this.active === 0) return;
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

  /** Cuts every connection and waits for the responses' close events, which log the cut calls. */
  private async cutAll(): Promise<void> {
    for (const res of this.inProgress()) markCutByShutdown(res);
    this.server!.closeAllConnections();
    const deadline = Date.now() + CUT_SETTLE_MS;
    while (this.active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Node closes the connection after a response that says `connection: close`. */
function closeWhenDone(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
