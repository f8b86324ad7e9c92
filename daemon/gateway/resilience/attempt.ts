import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { GatewayError } from '../http/errors';
import { sendUpstream, toGatewayError, type OpenResponse, type UpstreamRequest } from '../providers/upstream';
import { scrubSecrets } from './scrub-secrets';

/**
 * One try at one target with one key, carried far enough that a failure can still be retried
 * invisibly: a complete body for JSON, the first event for a stream. Only then does anything
 * reach the client.
 */
export type AttemptResult =
  | { kind: 'complete'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'stream'; status: number; headers: IncomingHttpHeaders; open: OpenResponse; first: Buffer }
  | { kind: 'failed'; error: GatewayError };

export async function attemptUpstream(request: UpstreamRequest): Promise<AttemptResult> {
  let open: OpenResponse;
  try {
    open = await sendUpstream(request);
  } catch (error) {
    return { kind: 'failed', error: toGatewayError(error as Error, request.url) };
  }
  const { response } = open;
  const status = response.statusCode ?? 502;
  try {
    if (status < 400 && (response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      const first = await firstChunk(response);
      if (first) return { kind: 'stream', status, headers: response.headers, open, first };
      open.unwatch();
      return { kind: 'complete', status, headers: response.headers, body: Buffer.alloc(0) };
    }
    open.watch('idle', request.timeouts.idleMs);
    const body = await readAll(response, () => open.watch('idle', request.timeouts.idleMs));
    open.unwatch();
    return { kind: 'complete', status, headers: response.headers, body: status >= 400 ? scrubSecrets(body, request.secrets()) : body };
  } catch (error) {
    open.unwatch();
    return { kind: 'failed', error: toGatewayError(open.timedOut() ?? (error as Error), request.url) };
  }
}

/**
 * The stream's first chunk (undefined if it ended empty); the first-byte timer armed at send
 * time runs until it comes. The stream is left paused for the relay to resume.
 */
function firstChunk(response: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      cleanup();
      response.pause();
      resolve(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      if (!response.complete) onError(new Error('aborted'));
    };
    const cleanup = (): void => {
      response.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    response.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

function readAll(response: IncomingMessage, onChunk: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      onChunk();
    });
    response.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    response.once('error', reject);
    response.once('close', () => {
      if (!response.complete) reject(new Error('aborted'));
    });
  });
}
