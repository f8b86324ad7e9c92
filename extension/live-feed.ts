import * as vscode from 'vscode';
import WebSocket from 'ws';
import { liveEvent, type RequestLogEntry } from '../daemon/gateway/api/contracts';
import type { GatewayApi } from './gateway-api';
import { log } from './log';

const RECONNECT_DELAY_MS = 2_000;

/**
 * WS /tollgate/v1/live for one gateway: every logged call, as it is committed. Lives in the
 * gateway's scope; when the socket drops it asks the supervisor to look (the daemon may have
 * died) and reconnects while its scope is alive.
 */
export class LiveFeed implements vscode.Disposable {
  private readonly requestEmitter = new vscode.EventEmitter<RequestLogEntry>();
  readonly onRequest = this.requestEmitter.event;
  private socket: WebSocket | undefined;
  private retry: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly api: GatewayApi,
    private readonly onDrop: () => void,
  ) {
    this.open();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retry);
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.terminate();
    this.requestEmitter.dispose();
  }

  private open(): void {
    const socket = new WebSocket(this.api.liveUrl, { headers: { authorization: this.api.authorization } });
    this.socket = socket;
    socket.on('open', () => log.debug('live feed connected'));
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('error', (error) => log.debug(`live feed: ${error.message}`));
    socket.on('close', () => {
      if (this.disposed) return;
      this.onDrop();
      this.retry = setTimeout(() => {
        if (!this.disposed) this.open();
      }, RECONNECT_DELAY_MS);
    });
  }

  private receive(text: string): void {
    let parsed;
    try {
      parsed = liveEvent.safeParse(JSON.parse(text));
    } catch {
      return;
    }
    if (parsed.success) this.requestEmitter.fire(parsed.data.request);
    else log.debug(`live feed: ignored a message of an unknown shape`);
  }
}
