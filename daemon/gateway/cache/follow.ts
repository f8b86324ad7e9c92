import type { ServerResponse } from 'node:http';
import type { EndpointKind } from '../endpoint-kind';
import type { ApiFlavor } from '../http/errors';
import type { ProxyCall } from '../pipeline/call';
import { tollgateHeaders } from '../pipeline/headers';
import { streamErrorEvent } from '../pipeline/relay-stream';
import type { CacheEntry } from '../store/cache-store';
import type { Flight } from './flights';
import { SseSplitter } from '../usage/sse-splitter';
import { includesUsage, replayEntry, SSE_TYPE, withoutUsageChunks } from './replay';

/**
 * Serves a call from an identical one in flight. A streaming follower of a streamed answer gets
 * the events as they arrive (what was already sent first); any other follower gets the answer
 * when the leader's call ends, in the form it asked for. Resolves 'answered' once the follower's
 * response is under way or its client left, and 'retry' when the leader failed before anything
 * was sent to this follower: the caller then looks again and leads or follows anew, so a failed
 * leader is replaced by one waiter, never by all of them at once.
 */
export function followFlight(flight: Flight, call: ProxyCall, res: ServerResponse, flavor: ApiFlavor): Promise<'answered' | 'retry'> {
  const kind = call.endpoint as EndpointKind;
  const includeUsage = includesUsage(call.body);
  call.cache = 'coalesced';
  call.billed = false;
  call.attempts = 0;
  call.answeredBy = flight.leaderId;
  return new Promise((resolve, reject) => {
    let live = false;
    // The leader's chunks may cut an event anywhere: events are re-assembled before the usage chunk is left out.
    const splitter = kind === 'chat' && !includeUsage ? new SseSplitter() : undefined;
    const sendLive = (chunk: Buffer): void => {
      const out = splitter ? withoutUsageChunks(splitter.push(chunk)) : chunk;
      call.response.add(out);
      if (out.length > 0) res.write(out);
    };
    const startLive = (): void => {
      live = true;
      call.ttfbMs = performance.now() - call.t0;
      res.writeHead(200, { 'content-type': SSE_TYPE, 'cache-control': 'no-cache', ...tollgateHeaders(call), 'x-tollgate-cost-usd': '0' });
      if (flight.streamed) sendLive(Buffer.concat(flight.streamed));
    };
    // A throw while answering this follower (a header Node refuses, say) fails this call, not the leader or the other followers.
    const unsubscribe = flight.subscribe({
      onChunk: (chunk) => {
        if (!call.stream || res.destroyed) return;
        try {
          if (!live) startLive();
          else sendLive(chunk);
        } catch (error) {
          unsubscribe();
          reject(error);
        }
      },
      onDone: (entry) => {
        res.off('close', onClientGone);
        try {
          resolve(finish(entry));
        } catch (error) {
          reject(error);
        }
      },
    });
    const onClientGone = (): void => {
      unsubscribe();
      resolve('answered');
    };
    res.once('close', onClientGone);
    if (call.stream && flight.streamed) startLive();

    const finish = (entry: CacheEntry | undefined): 'answered' | 'retry' => {
      if (res.destroyed) return 'answered';
      if (live) {
        if (entry) {
          call.savedFrom = { costUsd: entry.costUsd, latencyMs: entry.latencyMs };
          res.end();
        } else {
          call.errorClass = 'provider_stream_interrupted';
          call.errorMessage = `The identical call this one joined (${flight.leaderId}) failed mid-stream`;
          call.loggedStatus = 502;
          res.end(streamErrorEvent(flavor, call.errorMessage));
        }
        return 'answered';
      }
      if (entry && replayEntry(entry, call, res, 'coalesced')) return 'answered';
      call.cache = 'miss';
      call.billed = true;
      call.answeredBy = null;
      return 'retry';
    };
  });
}
