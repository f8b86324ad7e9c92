import type { ServerResponse } from 'node:http';
import { isRecord, parseJson } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';
import type { ProxyCall } from '../pipeline/call';
import { tollgateHeaders } from '../pipeline/headers';
import type { CacheEntry } from '../store/cache-store';
import { isUsageOnlyChunk } from '../usage/openai-chat';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';
import { jsonToStream } from './json-to-stream';
import { streamToJson } from './stream-to-json';

export const SSE_TYPE = 'text/event-stream; charset=utf-8';
const JSON_TYPE = 'application/json';

/**
 * The bytes a client gets from an entry, in the form it asked for: a streaming client gets a
 * stream (the stored one, or one built from the stored JSON), any other client JSON (the stored
 * body, or the one the stored stream adds up to). Undefined when the entry cannot be turned into
 * that form; the call then goes to the provider as a miss.
 */
export function answerFor(entry: CacheEntry, wantsStream: boolean, includeUsage: boolean): { body: Buffer; contentType: string } | undefined {
  const kind = entry.endpoint as EndpointKind;
  if (wantsStream) {
    const body = entry.form === 'sse' ? withUsageAsAsked(kind, entry.body, includeUsage) : jsonToStream(kind, parseJson(entry.body.toString('utf8')), includeUsage);
    return body && { body, contentType: SSE_TYPE };
  }
  if (entry.form === 'json') return { body: entry.body, contentType: entry.contentType };
  const json = streamToJson(kind, entry.body);
  return json && { body: Buffer.from(JSON.stringify(json)), contentType: JSON_TYPE };
}

/**
 * Answers the call from an entry: no provider, no cost; the log row names the call that paid for
 * the answer and what it saved. Returns false (nothing sent) when the entry cannot be given in
 * the form the client asked for.
 */
export function replayEntry(entry: CacheEntry, call: ProxyCall, res: ServerResponse, state: 'hit' | 'semantic-hit' | 'coalesced', similarity?: number, now = Date.now()): boolean {
  const answer = answerFor(entry, call.stream, includesUsage(call.body));
  if (!answer) return false;
  call.cache = state;
  call.billed = false;
  call.attempts = 0;
  call.answeredBy = entry.requestId;
  call.savedFrom = { costUsd: entry.costUsd, latencyMs: entry.latencyMs };
  call.cacheSimilarity = similarity ?? null;
  call.response.add(answer.body);
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(200, {
    'content-type': answer.contentType,
    'content-length': answer.body.length,
    ...(call.stream ? { 'cache-control': 'no-cache' } : {}),
    ...tollgateHeaders(call),
    age: String(Math.max(0, Math.floor((now - entry.created) / 1000))),
    'x-tollgate-cost-usd': '0',
    'x-tollgate-saved-usd': entry.costUsd === null ? 'unknown' : entry.costUsd.toFixed(8),
    'x-tollgate-answered-by': entry.requestId,
    ...(similarity !== undefined ? { 'x-tollgate-cache-similarity': similarity.toFixed(4) } : {}),
  });
  res.end(answer.body);
  return true;
}

/** A chat client that did not ask for usage does not get the usage-only chunk (some break on its empty choices). */
export function withUsageAsAsked(kind: EndpointKind, sse: Buffer, includeUsage: boolean): Buffer {
  if (kind !== 'chat' || includeUsage) return sse;
  return withoutUsageChunks(new SseSplitter().push(sse));
}

/** Whole SSE events, less OpenAI's usage-only chunk; only events that mention usage are decoded. */
export function withoutUsageChunks(events: readonly Buffer[]): Buffer {
  return Buffer.concat(events.filter((raw) => !(raw.includes(USAGE) && isUsageOnlyChunk(parseSseEvent(raw).data))));
}

const USAGE = Buffer.from('"usage"');

export function includesUsage(body: Record<string, unknown> | undefined): boolean {
  const options = body?.['stream_options'];
  return isRecord(options) && options['include_usage'] === true;
}
