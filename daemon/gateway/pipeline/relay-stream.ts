import type { ServerResponse } from 'node:http';
import type { ApiFlavor } from '../http/errors';
import type { AttemptResult } from '../resilience/attempt';
import { isUsageOnlyChunk } from '../usage/openai-chat';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';
import { pacedWriter } from './paced-writer';
import { pumpUpstream } from './pump-upstream';

type StreamStart = Extract<AttemptResult, { kind: 'stream' }>;

/**
 * A streamed (SSE) answer whose first event has arrived: headers and that event go out
 * together, then every chunk is written the moment it is read, never buffered. Usage is picked
 * from the events on the way through. When the gateway itself asked for the usage chunk, the
 * stream is forwarded whole events at a time so that chunk can be left out. A stream that
 * breaks or falls silent (idle timeout) ends with an error event the client's SDK raises, and
 * is logged as failed.
 */
export function relayStream(call: ProxyCall, start: StreamStart, res: ServerResponse, endpoint: ProxyEndpoint, hideUsageChunk: boolean, idleMs: number): Promise<void> {
  const { response: upstream } = start.open;
  res.writeHead(start.status, downstreamHeaders(start.headers, call));
  const splitter = new SseSplitter();
  const write = pacedWriter(res, upstream);
  let eventIndex = 0;

  const forward = (chunk: Buffer): void => {
    start.open.watch('idle', idleMs);
    call.response.add(chunk);
    call.cacheCapture?.add(chunk);
    call.flight?.push(chunk);
    const events = splitter.push(chunk);
    const kept: Buffer[] | undefined = hideUsageChunk ? [] : undefined;
    for (const raw of events) {
      const index = eventIndex++;
      if (endpoint.usage.mayCarryFacts(raw, index)) {
        const event = parseSseEvent(raw);
        call.facts = endpoint.usage.fromEvent(event, call.facts);
        if (kept && isUsageOnlyChunk(event.data)) continue;
      }
      kept?.push(raw);
    }
    const out = kept ? Buffer.concat(kept) : chunk;
    if (out.length === 0) return;
    call.ttfbMs ??= performance.now() - call.t0;
    write(out);
  };

  return new Promise((resolve) => {
    const onEnd = (): void => {
      start.open.unwatch();
      const rest = splitter.rest();
      if (hideUsageChunk && rest) res.write(rest);
      res.end();
      resolve();
    };
    const onBroken = (): void => {
      start.open.unwatch();
      if (res.writableEnded || res.destroyed) return resolve();
      const timedOut = start.open.timedOut();
      call.errorClass = timedOut ? 'provider_timeout' : 'provider_stream_interrupted';
      call.errorMessage = timedOut ? `The provider's stream fell silent: ${timedOut.message}` : 'The provider closed the stream before it was complete';
      call.loggedStatus = timedOut ? 504 : 502;
      res.end(streamErrorEvent(endpoint.flavor, call.errorMessage));
      resolve();
    };
    forward(start.first);
    pumpUpstream(upstream, { forward, onEnd, onBroken });
  });
}

/** An error event each API's SDK turns into an exception rather than a silently short answer. */
export function streamErrorEvent(flavor: ApiFlavor, message: string): string {
  if (flavor === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', code: 'provider_stream_interrupted' } })}\n\n`;
}
