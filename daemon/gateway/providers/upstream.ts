import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { GatewayError } from '../http/errors';
import type { Cancellation } from '../http/cancellation';

/**
 * One keep-alive pool per protocol, shared by every provider: a warm connection saves a TCP (and
 * TLS) handshake on every call. LIFO hands out the most recently used socket, the one least
 * likely to have been closed by the provider's idle timeout.
 */
const agentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' } as const;
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

export interface Timeouts {
  connectMs: number;
  /** Until the provider's first byte: headers, or for a stream its first event. */
  firstByteMs: number;
  /** Longest silence between body chunks. */
  idleMs: number;
}

export interface UpstreamRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  /** Cancelling destroys the request and its response stream. */
  cancellation: Cancellation;
  timeouts: Timeouts;
  /** Values an error body must never carry onward (the key sent, every key Tollgate knows, the token). */
  secrets: () => readonly string[];
}

class ClientGone extends Error {}

export class UpstreamTimeout extends Error {
  constructor(
    readonly phase: 'connect' | 'first byte' | 'idle',
    readonly ms: number,
  ) {
    super(`the provider sent nothing for ${ms} ms (${phase} timeout)`);
  }
}

/**
 * A response whose headers have arrived; `watch` arms a timer that destroys the request if it
 * fires before being re-armed or cleared (connect, first byte, idle between chunks).
 */
export interface OpenResponse {
  response: IncomingMessage;
  watch(phase: UpstreamTimeout['phase'], ms: number): void;
  unwatch(): void;
  /** Set when a timer fired and tore the request down. */
  timedOut(): UpstreamTimeout | undefined;
}

export function sendUpstream(request: UpstreamRequest): Promise<OpenResponse> {
  const secure = request.url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    if (request.cancellation.cancelled) return reject(toGatewayError(new ClientGone(), request.url));
    if (request.body) request.headers['content-length'] = request.body.length;
    const outgoing = (secure ? https : http).request({ ...httpOptionsOf(request.url), method: request.method, headers: request.headers, agent: secure ? httpsAgent : httpAgent });
    const watcher = timeoutWatcher(outgoing);
    request.cancellation.onCancel(() => outgoing.destroy(new ClientGone()));
    outgoing.once('socket', (socket) => {
      if (socket.connecting) {
        watcher.watch('connect', request.timeouts.connectMs);
        socket.once('connect', () => watcher.watch('first byte', request.timeouts.firstByteMs));
      } else {
        watcher.watch('first byte', request.timeouts.firstByteMs);
      }
    });
    outgoing.once('response', (response) => resolve({ response, ...watcher }));
    outgoing.once('error', (error) => {
      watcher.unwatch();
      reject(toGatewayError(watcher.timedOut() ?? error, request.url));
    });
    outgoing.end(request.body);
  });
}

function timeoutWatcher(outgoing: ClientRequest): Omit<OpenResponse, 'response'> {
  let timer: NodeJS.Timeout | undefined;
  let fired: UpstreamTimeout | undefined;
  return {
    watch(phase, ms) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        fired = new UpstreamTimeout(phase, ms);
        outgoing.destroy(fired);
      }, ms);
    },
    timedOut: () => fired,
    unwatch() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * A URL as http.request's options. A provider's URLs are parsed once, when the config is loaded;
 * their options are kept with them rather than worked out from the URL again on every call.
 */
const optionsCache = new WeakMap<URL, { protocol: string; hostname: string; port: string; path: string }>();
function httpOptionsOf(url: URL): { protocol: string; hostname: string; port: string; path: string } {
  let options = optionsCache.get(url);
  if (!options) {
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    options = { protocol: url.protocol, hostname, port: url.port, path: url.pathname + url.search };
    optionsCache.set(url, options);
  }
  return options;
}

export function toGatewayError(error: Error, url: URL): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ClientGone) return new GatewayError(499, 'client_disconnected', 'The client closed the connection');
  if (error instanceof UpstreamTimeout) return new GatewayError(504, 'provider_timeout', `Provider at ${url.host}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${url.protocol}//${url.host}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new GatewayError(502, 'provider_unreachable', `Cannot reach provider at ${where}: ${code}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up' || error.message === 'aborted') {
    return new GatewayError(502, 'provider_reset', `Provider at ${where} closed the connection before its response was complete`);
  }
  return new GatewayError(502, 'provider_unreachable', `Request to provider at ${where} failed: ${error.message}`);
}

export function closeUpstreamPools(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}
