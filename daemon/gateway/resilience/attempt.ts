import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { GatewayError } from '../http/errors';
import { sendUpstream, toGatewayError, type OpenResponse, type UpstreamRequest } from '../providers/upstream';
import { scrubSecrets } from './scrub-secrets';

/**
 * One try at one target with one key, carried far enough that a failure can still be retried
 * invisibly: a complete body for JSON, the first event for a stream, the first megabyte of a
 * larger JSON body. Only then does anything reach the client.
 *
 * A JSON answer is held whole only up to BUFFER_LIMIT: beyond it (an embeddings batch, a long
 * document) it is relayed as it arrives, like a stream, so four concurrent 100 MB answers cost
 * the gateway a few megabytes instead of 1.35 GB.
 */
export type AttemptResult =
  | { kind: 'complete'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { kind: 'stream'; status: number; headers: IncomingHttpHeaders; open: OpenResponse; first: Buffer }
  /** A successful JSON answer larger than BUFFER_LIMIT: its first bytes, and the response paused after them. */
  | { kind: 'large'; status: number; headers: IncomingHttpHeaders; open: OpenResponse; head: Buffer[] }
  | { kind: 'failed'; error: GatewayError };

export const BUFFER_LIMIT = 1024 * 1024;

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
      // The first-byte timer armed at send time runs until the first event comes; the stream is
      // then left paused for the relay to resume.
      const first = await readUpTo(response, 0);
      if ('head' in first) return { kind: 'stream', status, headers: response.headers, open, first: first.head[0]! };
      open.unwatch();
      return { kind: 'complete', status, headers: response.headers, body: first.body };
    }
    open.watch('idle', request.timeouts.idleMs);
    const read = await readUpTo(response, BUFFER_LIMIT, () => open.watch('idle', request.timeouts.idleMs));
    if ('head' in read) {
      if (status < 400) return { kind: 'large', status, headers: response.headers, open, head: read.head };
      // An error answer is read whole to classify and scrub it; one this large is not an answer.
      open.unwatch();
      response.destroy();
      return { kind: 'failed', error: new GatewayError(502, 'provider_malformed_response', `The provider answered HTTP ${status} with an error body over ${BUFFER_LIMIT} bytes`) };
    }
    open.unwatch();
    return { kind: 'complete', status, headers: response.headers, body: status >= 400 ? scrubSecrets(read.body, request.secrets()) : read.body };
  } catch (error) {
    open.unwatch();
    return { kind: 'failed', error: toGatewayError(open.timedOut() ?? (error as Error), request.url) };
  }
}

/**
 * The whole body when it ends within `limit` bytes; else the chunks read so far, with the
 * response paused and left for the relay to resume (limit 0: the first chunk, if any).
 */
function readUpTo(response: IncomingMessage, limit: number, onChunk: () => void = () => undefined): Promise<{ body: Buffer } | { head: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      onChunk();
      if (size <= limit) return;
      response.pause();
      cleanup();
      resolve({ head: chunks });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
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
