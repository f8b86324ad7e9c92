import type { IncomingMessage } from 'node:http';
import { GatewayError } from './errors';

/**
 * Reads a request body into one Buffer, refusing anything over `limitBytes`: up front from
 * Content-Length when the client sent one, else as soon as the running total passes the limit.
 * A refused request's connection is closed by the caller (Connection: close), so the rest of
 * an oversized upload is never read into memory.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(withoutBom(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))));
    // Node reports a connection that closed mid-body as an 'aborted' error: the client left.
    req.once('error', () => reject(clientGone()));
    req.once('close', () => {
      if (!req.complete) reject(clientGone());
    });
  });
}

function clientGone(): GatewayError {
  return new GatewayError(499, 'client_disconnected', 'The client closed the connection while sending its request');
}

/**
 * Every body the gateway reads is JSON, and some Windows tools (PowerShell's Out-File, Notepad)
 * start a UTF-8 file with a byte-order mark, which JSON.parse refuses. RFC 8259 lets a parser
 * ignore it; it is dropped here, so neither the gateway nor the provider sees it.
 */
function withoutBom(body: Buffer): Buffer {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError(
    413,
    'caller_payload_too_large',
    `Request body is larger than the gateway's limit of ${formatBytes(limitBytes)} (server.maxRequestBytes in config.json).`,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${bytes} bytes`;
}
