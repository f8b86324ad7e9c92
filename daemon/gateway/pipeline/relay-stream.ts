import type { ServerResponse } from 'node:http';
import { withoutUsageChunks } from '../cache/replay';
import type { ApiFlavor } from '../http/errors';
import type { AttemptResult } from '../resilience/attempt';
import type { StreamTranslator } from '../translate/stream-translator';
import { isUsageOnlyChunk } from '../usage/openai-chat';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';
import type { UsageReader } from '../usage/types';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';
import { pacedWriter } from './paced-writer';
import { pumpUpstream } from './pump-upstream';

type StreamStart = Extract<AttemptResult, { kind: 'stream' }>;

export interface StreamRelayOptions {
  /** The gateway itself asked for (or made) the usage chunk: leave it out of what the client sees. */
  hideUsageChunk: boolean;
  idleMs: number;
  /** Reads usage from the provider's events, in the provider's API. */
  usage: UsageReader;
  /** Set when the provider speaks another API than the caller: its events are rewritten. */
  translator: StreamTranslator | undefined;
}

/**
 * A streamed (SSE) answer whose first event has arrived: headers and that event go out
 * together, then every chunk is written the moment it is read, never buffered. Usage is picked
 * from the events on the way through. When the gateway itself asked for the usage chunk, the
 * stream is forwarded whole events at a time so that chunk can be left out; so is a translated
 * stream, whose events are rewritten in the caller's API. A stream that breaks or falls silent
 * (idle timeout) ends with an error event the client's SDK raises, and is logged as failed.
 */
export function relayStream(call: ProxyCall, start: StreamStart, res: ServerResponse, endpoint: ProxyEndpoint, options: StreamRelayOptions): Promise<void> {
  const { hideUsageChunk, idleMs, usage, translator } = options;
  const { response: upstream } = start.open;
  res.writeHead(start.status, downstreamHeaders(start.headers, call));
  const splitter = new SseSplitter();
  const write = pacedWriter(res, upstream);
  let eventIndex = 0;

  /** What the client gets, and what the log, the cache and identical calls get (the usage chunk kept). */
  const send = (out: Buffer, whole: Buffer): void => {
    call.response.add(whole);
    call.cacheCapture?.add(whole);
    call.flight?.push(whole);
    if (out.length === 0) return;
    call.ttfbMs ??= performance.now() - call.t0;
    write(out);
  };

  const forward = (chunk: Buffer): void => {
    start.open.watch('idle', idleMs);
    const events = splitter.push(chunk);
    const kept: Buffer[] | undefined = hideUsageChunk && !translator ? [] : undefined;
    let translated = '';
    for (const raw of events) {
      const index = eventIndex++;
      const mayCarryFacts = usage.mayCarryFacts(raw, index);
      const event = mayCarryFacts || translator ? parseSseEvent(raw) : undefined;
      if (mayCarryFacts) {
        call.facts = usage.fromEvent(event!, call.facts);
        if (kept && isUsageOnlyChunk(event!.data)) continue;
      }
      if (translator) translated += translator.push(event!);
      kept?.push(raw);
    }
    if (translator) return sendTranslated(translated);
    send(kept ? Buffer.concat(kept) : chunk, chunk);
  };

  const sendTranslated = (text: string): void => {
    if (text === '') return;
    const whole = Buffer.from(text);
    send(hideUsageChunk ? withoutUsageChunks(new SseSplitter().push(whole)) : whole, whole);
  };

  return new Promise((resolve) => {
    const broken = (timedOut: ReturnType<typeof start.open.timedOut>): void => {
      call.errorClass = timedOut ? 'provider_timeout' : 'provider_stream_interrupted';
      call.errorMessage = timedOut ? `The provider's stream fell silent: ${timedOut.message}` : 'The provider closed the stream before it was complete';
      call.loggedStatus = timedOut ? 504 : 502;
      res.end(streamErrorEvent(endpoint.flavor, call.errorMessage));
    };
    const onEnd = (): void => {
      start.open.unwatch();
      if (translator) {
        const { text, complete } = translator.end();
        sendTranslated(text);
        if (!complete) {
          broken(undefined);
          return resolve();
        }
      }
      const rest = splitter.rest();
      if (hideUsageChunk && !translator && rest) res.write(rest);
      res.end();
      resolve();
    };
    const onBroken = (): void => {
      start.open.unwatch();
      if (res.writableEnded || res.destroyed) return resolve();
      broken(start.open.timedOut());
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
