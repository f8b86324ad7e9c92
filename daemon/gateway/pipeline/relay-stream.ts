import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUsageOnlyChunk } from '../usage/openai-chat';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';
import type { ApiFlavor } from '../http/errors';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';

/**
 * A streamed (SSE) response: headers go out as soon as the provider's arrive, and every chunk
 * is written the moment it is read, never buffered. Usage is picked from the events on the way
 * through. When the gateway itself asked for the usage chunk, the stream is forwarded whole
 * events at a time so that chunk can be left out.
 */
export function relayStream(
  call: ProxyCall,
  upstream: IncomingMessage,
  res: ServerResponse,
  endpoint: ProxyEndpoint,
  hideUsageChunk: boolean,
): Promise<void> {
  res.writeHead(upstream.statusCode ?? 200, downstreamHeaders(upstream.headers, call));
  res.flushHeaders();
  const splitter = new SseSplitter();
  let eventIndex = 0;

  const onChunk = (chunk: Buffer): void => {
    call.response.add(chunk);
    const events = splitter.push(chunk);
    let forwarded: Buffer[] | undefined = hideUsageChunk ? [] : undefined;
    for (const raw of events) {
      const index = eventIndex++;
      if (endpoint.usage.mayCarryFacts(raw, index)) {
        const event = parseSseEvent(raw);
        call.facts = endpoint.usage.fromEvent(event, call.facts);
        if (forwarded && isUsageOnlyChunk(event.data)) continue;
      }
      forwarded?.push(raw);
    }
    const out = forwarded ? Buffer.concat(forwarded) : chunk;
    if (out.length === 0) return;
    call.ttfbMs ??= performance.now() - call.t0;
    if (!res.write(out)) {
      // Slow client: stop reading from the provider until the client has caught up.
      upstream.pause();
      res.once('drain', () => upstream.resume());
    }
  };

  return new Promise((resolve) => {
    upstream.on('data', onChunk);
    upstream.once('end', () => {
      const rest = splitter.rest();
      if (hideUsageChunk && rest) res.write(rest);
      res.end();
      resolve();
    });
    const onBroken = (): void => {
      if (res.writableEnded || res.destroyed) return resolve();
      call.errorClass = 'provider_stream_interrupted';
      call.errorMessage = 'The provider closed the stream before it was complete';
      call.loggedStatus = 502;
      res.end(streamErrorEvent(endpoint.flavor, call.errorMessage));
      resolve();
    };
    upstream.once('error', onBroken);
    // A reset mid-stream shows up as 'close' without 'end' (and, on some Node versions, 'aborted').
    upstream.once('close', () => {
      if (!upstream.complete) onBroken();
    });
  });
}

/** An error event each API's SDK turns into an exception rather than a silently short answer. */
export function streamErrorEvent(flavor: ApiFlavor, message: string): string {
  if (flavor === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', code: 'provider_stream_interrupted' } })}\n\n`;
}
