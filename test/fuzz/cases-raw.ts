import type { FuzzCase, RawSend } from './case';
import { tagOf } from './case';
import type { Random } from './random';
import { hostileText } from './values';

/**
 * Bytes no HTTP client would send: broken request lines and headers, control characters and
 * UTF-8 in header values, lying Content-Length, broken chunked encoding, oversized headers,
 * pipelining, upgrades, and slow clients that leave half-way. `logged` says whether Node's
 * parser lets the request reach a route (and so the log): headers complete and valid, not an
 * upgrade, not CONNECT, not a failed Expect.
 */
interface RawShape {
  label: string;
  chunks: Buffer[];
  gapMs?: number;
  then?: RawSend['then'];
  logged: number;
  leaves?: boolean;
}

interface Ctx {
  r: Random;
  tag: string;
  token: string;
}

const CHAT = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}';
const CRLF = '\r\n';

/** A request's head (request line and header lines) and body, Content-Length filled in unless given. */
function head(ctx: Ctx, line: string, extra: readonly string[] = [], body = CHAT, options: { length?: boolean; close?: boolean; auth?: boolean } = {}): string {
  const lines = [line, 'Host: 127.0.0.1', `x-tollgate-tag: ${ctx.tag}`, 'Content-Type: application/json'];
  if (options.auth !== false) lines.push(`Authorization: Bearer ${ctx.token}`);
  if (options.close !== false) lines.push('Connection: close');
  if (options.length !== false) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return [...lines, ...extra, '', ''].join(CRLF);
}

const post = (path = '/v1/chat/completions'): string => `POST ${path} HTTP/1.1`;
const bytes = (...parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

const SHAPES: readonly (readonly [number, (ctx: Ctx) => RawShape])[] = [
  // Request lines Node's parser refuses: answered 400, never routed.
  [3, (ctx) => ({ label: 'garbage request line', chunks: [bytes(ctx.r.pick(['GARBAGE', 'GET', 'GET / HTTP/1.1 extra', 'BREW /v1/chat/completions HTTP/1.1', `GET /v1/${utf8('\u0000')} HTTP/1.1`, 'POST /v1/chat/completions HTTP/1.1 HTTP/1.1']), CRLF, CRLF)], logged: 0 })],
  [2, (ctx) => ({ label: 'random bytes', chunks: [ctx.r.bytes(ctx.r.int(1, 400))], logged: 0 })],
  [2, (ctx) => ({ label: 'request cut short in its head, then FIN', chunks: [bytes(head(ctx, post()).slice(0, ctx.r.int(5, 60)))], then: 'fin', logged: 0, leaves: true })],
  // Header values with control characters: refused by the parser.
  [3, (ctx) => ({ label: 'control character in a header value', chunks: [bytes(head(ctx, post(), [`x-tollgate-cache: by${ctx.r.pick(['\u0000', '\u0001', '\u007f', '\u001b', '\r'])}pass`]), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'header line without a colon', chunks: [bytes(head(ctx, post(), ['no colon here']), CHAT)], logged: 0 })],
  // UTF-8 in the headers the gateway reads: valid bytes for HTTP, decoded as Latin-1 by Node, routed.
  [4, (ctx) => {
    const name = ctx.r.pick(['anthropic-version', 'x-tollgate-cache', 'cache-control', 'user-agent', 'anthropic-beta', 'openai-organization']);
    return { label: `UTF-8 in ${name}`, chunks: [bytes(head(ctx, post(), [`${name}: ${utf8(hostileText(ctx.r)).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '')}`]), CHAT)], logged: 1 };
  }],
  [2, (ctx) => ({ label: 'UTF-8 in the caller key', chunks: [bytes(head(ctx, post(), [], CHAT, { auth: false }).replace('Connection', `Authorization: Bearer ${utf8('sk-\u65e5\u672c')}\r\nConnection`), CHAT)], logged: 1 })],
  // Node's parser refuses bytes above 0x7f in the request target.
  [1, (ctx) => ({ label: 'UTF-8 in the path', chunks: [bytes(head(ctx, post(`/v1/${utf8('\u65e5\u672c')}`)), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'long unknown path', chunks: [bytes(head(ctx, post(`/v1/${'x'.repeat(ctx.r.pick([300, 8_000]))}?q=%ff%00`)), CHAT)], logged: 1 })],
  [1, (ctx) => ({ label: 'absolute-form target', chunks: [bytes(head(ctx, post('http://127.0.0.1/v1/chat/completions')), CHAT)], logged: 1 })],
  [1, (ctx) => ({ label: 'OPTIONS *', chunks: [bytes(head(ctx, 'OPTIONS * HTTP/1.1', [], ''))], logged: 1 })],
  // Sizes: headers over 16 KB are refused (431), a declared body over the limit is refused (413) but routed.
  [2, (ctx) => ({ label: 'header over 16 KB', chunks: [bytes(head(ctx, post(), [`x-padding: ${'p'.repeat(17_000)}`]), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'path over 16 KB', chunks: [bytes(head(ctx, post(`/v1/${'p'.repeat(17_000)}`)), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: '1,500 headers', chunks: [bytes(head(ctx, post(), Array.from({ length: 1_500 }, (_, i) => `x-h${i}: ${i}`)), CHAT)], logged: 1 })],
  [1, (ctx) => ({ label: 'Content-Length of 100 MB, body never sent', chunks: [bytes(head(ctx, post(), ['Content-Length: 104857600'], CHAT, { length: false }))], logged: 1 })],
  // Content-Length that lies.
  [2, (ctx) => ({ label: 'Content-Length larger than the body, then FIN', chunks: [bytes(head(ctx, post(), ['Content-Length: 5000'], CHAT, { length: false }), CHAT)], then: 'fin', logged: 1, leaves: true })],
  [2, (ctx) => ({ label: 'Content-Length smaller than the body', chunks: [bytes(head(ctx, post(), ['Content-Length: 20'], CHAT, { length: false }), CHAT)], logged: 1 })],
  [2, (ctx) => ({ label: 'Content-Length not a number', chunks: [bytes(head(ctx, post(), [`Content-Length: ${ctx.r.pick(['-1', 'abc', '1e3', '12 34', '0x10'])}`], CHAT, { length: false }), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'two different Content-Lengths', chunks: [bytes(head(ctx, post(), ['Content-Length: 3'], CHAT), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'Content-Length and chunked', chunks: [bytes(head(ctx, post(), ['Transfer-Encoding: chunked']), CHAT)], logged: 0 })],
  // Chunked bodies: valid, broken mid-body, or never finished.
  [2, (ctx) => ({ label: 'valid chunked body', chunks: [bytes(head(ctx, post(), ['Transfer-Encoding: chunked'], CHAT, { length: false }), chunked(CHAT), '0\r\n\r\n')], logged: 1 })],
  [2, (ctx) => ({ label: 'chunk size that is not hex', chunks: [bytes(head(ctx, post(), ['Transfer-Encoding: chunked'], CHAT, { length: false }), 'zz\r\n', CHAT, '\r\n0\r\n\r\n')], logged: 1 })],
  [1, (ctx) => ({ label: 'chunk longer than declared', chunks: [bytes(head(ctx, post(), ['Transfer-Encoding: chunked'], CHAT, { length: false }), '2\r\n', CHAT, '\r\n0\r\n\r\n')], logged: 1 })],
  [1, (ctx) => ({ label: 'chunked body never finished, then FIN', chunks: [bytes(head(ctx, post(), ['Transfer-Encoding: chunked'], CHAT, { length: false }), chunked(CHAT))], then: 'fin', logged: 1, leaves: true })],
  // Slow clients: whole requests a few bytes at a time, or leaving half-way.
  [2, (ctx) => ({ label: 'slow client, whole request', chunks: split(bytes(head(ctx, post()), CHAT), ctx.r.int(3, 8)), gapMs: 15, logged: 1 })],
  [2, (ctx) => ({ label: 'slow client leaves inside the head', chunks: split(bytes(head(ctx, post())).subarray(0, 60), 3), gapMs: 15, then: ctx.r.pick(['fin', 'reset'] as const), logged: 0, leaves: true })],
  [2, (ctx) => ({ label: 'slow client leaves inside the body', chunks: [bytes(head(ctx, post())), bytes(CHAT.slice(0, 20))], gapMs: 30, then: ctx.r.pick(['fin', 'reset'] as const), logged: 1, leaves: true })],
  // Hosts, versions, Expect.
  [1, (ctx) => ({ label: 'HTTP/1.1 without Host', chunks: [bytes(head(ctx, post()).replace('Host: 127.0.0.1\r\n', ''), CHAT)], logged: 0 })],
  [1, (ctx) => ({ label: 'HTTP/1.0 without Host', chunks: [bytes(head(ctx, 'POST /v1/chat/completions HTTP/1.0').replace('Host: 127.0.0.1\r\n', ''), CHAT)], logged: 1 })],
  [1, (ctx) => ({ label: 'Host of another machine', chunks: [bytes(head(ctx, post()).replace('Host: 127.0.0.1', `Host: ${ctx.r.pick(['evil.example', utf8('\u65e5\u672c.example'), '127.0.0.1.evil'])}`), CHAT)], logged: 1 })],
  [1, (ctx) => ({ label: 'Expect: 100-continue', chunks: [bytes(head(ctx, post(), ['Expect: 100-continue'])), bytes(CHAT)], gapMs: 30, logged: 1 })],
  [1, (ctx) => ({ label: 'Expect: something else', chunks: [bytes(head(ctx, post(), ['Expect: tea']), CHAT)], logged: 0 })],
  // Two requests on one connection.
  [1, (ctx) => ({ label: 'two pipelined requests', chunks: [bytes(head(ctx, post(), [], CHAT, { close: false }), CHAT, head(ctx, 'GET /v1/models HTTP/1.1', [], ''))], logged: 2 })],
  // Upgrades never reach a route; a client resetting while refused must not take the daemon down.
  [2, (ctx) => ({ label: 'upgrade on a proxy path, reset', chunks: [bytes(head(ctx, 'GET /v1/chat/completions HTTP/1.1', ['Upgrade: websocket'], '').replace('Connection: close', 'Connection: Upgrade'), 'x'.repeat(ctx.r.pick([0, 100_000])))], then: 'reset', logged: 0, leaves: true })],
  [1, (ctx) => ({ label: 'live feed upgrade with a wrong token, reset', chunks: [bytes(head(ctx, 'GET /tollgate/v1/live HTTP/1.1', ['Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='], '', { auth: false }).replace('Connection: close', 'Connection: Upgrade'), 'x'.repeat(50_000))], then: 'reset', logged: 0, leaves: true })],
  [1, (ctx) => ({ label: 'live feed with the token, then broken frames', chunks: [bytes(head(ctx, 'GET /tollgate/v1/live HTTP/1.1', ['Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='], '').replace('Connection: close', 'Connection: Upgrade')), ctx.r.pick([ctx.r.bytes(ctx.r.int(2, 300)), Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4])])], gapMs: 50, then: 'fin', logged: 0 })],
  [1, () => ({ label: 'CONNECT', chunks: [bytes('CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n')], logged: 0 })],
];

function chunked(body: string): string {
  return `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`;
}

function split(data: Buffer, parts: number): Buffer[] {
  const size = Math.ceil(data.length / parts);
  return Array.from({ length: parts }, (_, i) => data.subarray(i * size, (i + 1) * size)).filter((part) => part.length > 0);
}

export function rawCase(r: Random, id: number, token: string): FuzzCase {
  const shape = r.weighted(SHAPES)({ r, tag: tagOf(id), token });
  const send: RawSend = { kind: 'raw', chunks: shape.chunks, gapMs: shape.gapMs ?? 0, then: shape.then ?? 'wait' };
  return { id, label: `raw: ${shape.label}`, send, logged: shape.logged, upstreamFails: false, clientLeaves: shape.leaves === true };
}
