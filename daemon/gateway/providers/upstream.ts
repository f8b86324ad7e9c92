import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { GatewayError } from '../http/errors';
import type { Cancellation } from '../pipeline/call';

/**
 * One keep-alive pool per protocol, shared by every provider: a warm connection saves a TCP (and
 * TLS) handshake on every call. LIFO hands out the most recently used socket, the one least
 * likely to have been closed by the provider's idle timeout.
 */
const agentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' } as const;
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

export interface UpstreamRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  /** Cancelling destroys the request and its response stream. */
  cancellation: Cancellation;
}

class ClientGone extends Error {}

/** Resolves with the provider's response once its headers arrive; the body is the caller's to read. */
export function sendUpstream(request: UpstreamRequest): Promise<IncomingMessage> {
  const https_ = request.url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    if (request.cancellation.cancelled) return reject(toGatewayError(new ClientGone(), request.url));
    const outgoing = (https_ ? https : http).request(request.url, {
      method: request.method,
      headers: request.body ? { ...request.headers, 'content-length': request.body.length } : request.headers,
      agent: https_ ? httpsAgent : httpAgent,
    });
    request.cancellation.onCancel(() => outgoing.destroy(new ClientGone()));
    outgoing.once('response', resolve);
    outgoing.once('error', (error) => reject(toGatewayError(error, request.url)));
    outgoing.end(request.body);
  });
}

export function toGatewayError(error: Error, url: URL): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ClientGone) return new GatewayError(499, 'client_disconnected', 'The client closed the connection');
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${url.protocol}//${url.host}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new GatewayError(502, 'provider_unreachable', `Cannot reach provider at ${where}: ${code}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up') {
    return new GatewayError(502, 'provider_reset', `Provider at ${where} closed the connection before answering`);
  }
  return new GatewayError(502, 'provider_unreachable', `Request to provider at ${where} failed: ${error.message}`);
}

export function closeUpstreamPools(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}
