import type { Duplex } from 'node:stream';
import { errorBody, GatewayError } from './errors';

/**
 * Answers a request Node's parser refused before any handler saw it (malformed request line or
 * header, headers over the size limit, a bad chunk), with the status Node's own default handler
 * would send, and an OpenAI-shaped error body saying what was wrong: the caller's API is not
 * known yet, and OpenAI's shape is the one most clients read. Nothing is logged: such a request
 * never reached a route.
 */
const REFUSALS: Readonly<Record<string, readonly [status: number, reason: string, message: string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line and headers are larger than the gateway accepts (16 KB).'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'The chunk extensions of the request body are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request was not received in time.'],
};
const BAD_REQUEST = [400, 'Bad Request', 'The request is not valid HTTP/1.1.'] as const;

export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset, or a socket already half gone, has nobody left to read an answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = REFUSALS[error.code ?? ''] ?? BAD_REQUEST;
  answerOnSocket(socket, status, reason, new GatewayError(status, status === 431 ? 'caller_headers_too_large' : 'caller_invalid_request', message));
}

/** The gateway is no proxy for tunnels (CONNECT); the socket is Node's to hand over, without an 'error' listener of its own. */
export function refuseConnect(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  answerOnSocket(socket, 405, 'Method Not Allowed', new GatewayError(405, 'caller_method_not_allowed', 'Tollgate does not tunnel connections (CONNECT); send API requests to it directly.'));
}

function answerOnSocket(socket: Duplex, status: number, reason: string, error: GatewayError): void {
  const body = errorBody('openai', error);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
