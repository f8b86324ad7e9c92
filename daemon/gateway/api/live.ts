import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { GatewayError } from '../http/errors';
import { checkLoopbackRequest } from '../http/guard';
import { toEntry } from '../store/log-row';
import type { LogWriter } from '../store/log-writer';
import { checkAdminToken } from './auth';
import type { LiveEvent } from './contracts';

export const LIVE_PATH = '/tollgate/v1/live';

/** A client that has let this much pile up is not reading; it is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * WS /tollgate/v1/live: every request, as it is committed to the log. Same token as the admin
 * API; same loopback and origin checks as everything else.
 */
export class LiveFeed {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  constructor(
    private readonly token: string,
    writer: LogWriter,
  ) {
    writer.on('committed', (rows) => {
      if (this.server.clients.size === 0) return;
      for (const row of rows) this.broadcast({ type: 'request', request: toEntry(row) });
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      checkLoopbackRequest(req);
      checkAdminToken(req, this.token);
    } catch (error) {
      const status = error instanceof GatewayError ? error.status : 400;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => {
      // A broken frame or a message over maxPayload makes ws emit 'error' on the socket; with no
      // listener that ended the daemon. The feed only sends: such a client is dropped.
      ws.on('error', () => ws.terminate());
      this.server.emit('connection', ws, req);
    });
  }

  close(): void {
    for (const client of this.server.clients) client.close(1001, 'Tollgate is stopping');
    this.server.close();
  }

  private broadcast(event: LiveEvent): void {
    const message = JSON.stringify(event);
    for (const client of this.server.clients) this.send(client, message);
  }

  private send(client: WebSocket, message: string): void {
    if (client.readyState !== client.OPEN) return;
    if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.terminate();
      return;
    }
    client.send(message);
  }
}
