import type { FuzzCase, HttpSend } from './case';
import { tagOf } from './case';
import type { Random } from './random';
import { UPSTREAM_ANSWERS, UPSTREAM_HEADER, UPSTREAM_TABLE } from './upstream';
import { hostileJson, hostileText, latin1HeaderValue } from './values';

/**
 * Requests to the proxied endpoints that Node's HTTP client can send: a valid body with one
 * field made hostile, a hostile model name, a broken body, or hostile header values, answered by
 * a provider that may itself be hostile (upstream.ts).
 */
type Json = Record<string, unknown>;

interface EndpointSpec {
  method: 'POST' | 'GET';
  path: string;
  anthropic: boolean;
  base(r: Random): Json | undefined;
  /** Where a hostile value may go (dotted paths; numbers index arrays). */
  fields: readonly string[];
}

const stream = (r: Random): Json => (r.chance(0.35) ? { stream: true } : {});

const ENDPOINTS: readonly EndpointSpec[] = [
  {
    method: 'POST',
    path: '/v1/chat/completions',
    anthropic: false,
    base: (r) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...stream(r), ...(r.chance(0.3) ? { stream_options: { include_usage: true } } : {}) }),
    fields: ['messages', 'messages.0', 'messages.0.role', 'messages.0.content', 'messages.0.content.0', 'messages.1', 'stream', 'stream_options', 'stream_options.include_usage', 'max_tokens', 'temperature', 'n', 'tools', 'response_format'],
  },
  { method: 'POST', path: '/v1/embeddings', anthropic: false, base: () => ({ model: 'text-embedding-3-small', input: 'hi' }), fields: ['input', 'input.0', 'dimensions', 'encoding_format'] },
  { method: 'POST', path: '/v1/responses', anthropic: false, base: (r) => ({ model: 'gpt-4o-mini', input: 'hi', ...stream(r) }), fields: ['input', 'input.0', 'input.0.content', 'instructions', 'stream', 'max_output_tokens', 'temperature'] },
  {
    method: 'POST',
    path: '/v1/messages',
    anthropic: true,
    base: (r) => ({ model: 'claude-3-5-haiku-latest', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...stream(r) }),
    fields: ['messages', 'messages.0', 'messages.0.role', 'messages.0.content', 'messages.0.content.0', 'messages.0.content.0.text', 'system', 'max_tokens', 'stream', 'temperature', 'metadata'],
  },
  { method: 'POST', path: '/v1/messages/count_tokens', anthropic: true, base: () => ({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }] }), fields: ['messages', 'messages.0.content', 'system'] },
  // Translated calls: each API asking for a model of the other, with tools and a prior tool turn to make hostile.
  {
    method: 'POST',
    path: '/v1/messages',
    anthropic: true,
    base: (r) => ({
      model: 'gpt-4o-mini',
      max_tokens: 16,
      system: [{ type: 'text', text: 'sys' }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
      ...stream(r),
    }),
    fields: ['system', 'system.0', 'tools', 'tools.0', 'tools.0.input_schema', 'tool_choice', 'tool_choice.type', 'messages.1.content', 'messages.1.content.0', 'messages.1.content.0.input', 'messages.2.content.0', 'messages.2.content.0.content', 'stop_sequences', 'thinking', 'metadata'],
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    anthropic: false,
    base: (r) => ({
      model: 'claude-3-5-haiku-latest',
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
      ...stream(r),
    }),
    fields: ['messages.0', 'messages.0.content', 'messages.1.content.0', 'messages.2.tool_calls', 'messages.2.tool_calls.0.function.arguments', 'messages.3.content', 'tools.0', 'tools.0.function', 'tool_choice', 'stop', 'temperature', 'parallel_tool_calls', 'user'],
  },
  {
    method: 'POST',
    path: '/v1/responses',
    anthropic: false,
    base: (r) => ({
      model: 'claude-3-5-haiku-latest',
      instructions: 'sys',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      input: [{ role: 'user', content: 'hi' }, { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: 'ok' }],
      ...stream(r),
    }),
    fields: ['input', 'input.0', 'input.0.content', 'input.1.arguments', 'input.2.output', 'tools.0', 'tool_choice', 'text', 'instructions', 'max_output_tokens'],
  },
  { method: 'GET', path: '/v1/models', anthropic: false, base: () => undefined, fields: [] },
  { method: 'GET', path: '/v1/models', anthropic: true, base: () => undefined, fields: [] },
];

const MODEL_PREFIXES = ['gpt-4o-mini', 'gpt-', 'claude-3-5-haiku-latest', 'claude-', 'openai/', 'anthropic/', 'text-embedding-3-small', 'fz-alias', 'fz-\u65e5\u672c\u0007', '', 'nowhere/', 'o3'];

const HOLE = '@@fuzz-hole@@';
/** The fuzz daemon's server.maxRequestBytes. */
const OVER_THE_LIMIT = 4 * 1024 * 1024;

export function proxyCase(r: Random, id: number, token: string): FuzzCase {
  const endpoint = r.weighted(ENDPOINTS.map((spec, index) => [index < 4 ? 4 : index < 8 ? 2 : 1, spec] as const));
  const upstream = r.weighted(UPSTREAM_TABLE);
  const headers: Record<string, string> = { 'x-tollgate-tag': tagOf(id), [UPSTREAM_HEADER]: upstream, ...authHeaders(endpoint.anthropic, token) };
  const body = endpoint.base(r);
  const labels: string[] = [`${endpoint.method} ${endpoint.path}`, `upstream ${upstream}`];
  let bytes: Buffer | undefined = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const mutation = r.weighted<string>([[2, 'none'], [5, 'field'], [2, 'model'], [1, 'body'], [2, 'headers']]);
  if (body && mutation === 'field' && endpoint.fields.length > 0) bytes = withHostileField(r, body, r.pick(endpoint.fields), labels);
  if (body && mutation === 'model') bytes = withHostileModel(r, body, labels);
  if (body && mutation === 'body') bytes = brokenBody(r, body, labels);
  if (mutation === 'headers' || r.chance(0.1)) hostileHeaders(r, headers, labels);
  const cutOffOk = bytes !== undefined && bytes.length > OVER_THE_LIMIT;
  // The daemon may answer an oversized body before reading it, and the client then sees EPIPE
  // instead of the answer and its request id: the row is found by its tag, so keep that intact.
  if (cutOffOk && headers['x-tollgate-tag'] !== tagOf(id)) {
    headers['x-tollgate-tag'] = tagOf(id);
    labels.push('tag kept: the answer may be cut off');
  }
  const send: HttpSend = { kind: 'http', method: endpoint.method, path: endpoint.path, headers, body: bytes };
  // A client that leaves gets no answer carrying a request id: its row is found by its tag.
  if (headers['x-tollgate-tag'] === tagOf(id) && r.chance(0.05)) {
    send.leave = bytes && bytes.length > 10 && r.chance(0.5) ? 'mid-body' : 'after-headers';
    labels.push(`client leaves ${send.leave}`);
  }
  const answer = UPSTREAM_ANSWERS[upstream]!;
  return {
    id,
    label: labels.join('; '),
    send,
    logged: 1,
    upstreamFails: answer.fails || (endpoint.path === '/v1/models' && answer.notAModelList === true),
    clientLeaves: send.leave !== undefined,
    cutOffOk,
  };
}

function authHeaders(anthropic: boolean, token: string): Record<string, string> {
  return anthropic ? { 'x-api-key': token, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${token}` };
}

function withHostileField(r: Random, body: Json, path: string, labels: string[]): Buffer {
  const value = hostileJson(r);
  labels.push(`${path} = ${preview(value)}`);
  setAt(body, path.split('.'), HOLE);
  return Buffer.from(JSON.stringify(body).replace(JSON.stringify(HOLE), () => value));
}

function withHostileModel(r: Random, body: Json, labels: string[]): Buffer {
  body['model'] = r.pick(MODEL_PREFIXES) + (r.chance(0.8) ? hostileText(r) : '');
  labels.push(`model = ${preview(JSON.stringify(body['model']))}`);
  return Buffer.from(JSON.stringify(body));
}

function brokenBody(r: Random, body: Json, labels: string[]): Buffer {
  const valid = JSON.stringify(body);
  const [name, bytes] = r.pick<readonly [string, () => Buffer]>([
    ['empty', () => Buffer.alloc(0)],
    ['null', () => Buffer.from('null')],
    ['array', () => Buffer.from('[1,2]')],
    ['string', () => Buffer.from('"x"')],
    ['number', () => Buffer.from('1e999')],
    ['truncated', () => Buffer.from(valid.slice(0, Math.floor(valid.length / 2)))],
    ['trailing garbage', () => Buffer.from(`${valid}}}x`)],
    ['BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)])],
    ['two BOMs', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(valid)])],
    ['UTF-16', () => Buffer.from(valid, 'utf16le')],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from(valid.slice(0, -2)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['random bytes', () => r.bytes(r.int(1, 2_000))],
    ['NULs', () => Buffer.alloc(r.int(1, 1_000))],
    ['duplicate keys', () => Buffer.from(`{"model":"x","model":null,${valid.slice(1)}`)],
    ['over the size limit', () => Buffer.alloc(5 * 1024 * 1024, 0x20)],
  ]);
  labels.push(`body ${name}`);
  return bytes();
}

const HEADER_NAMES = ['x-tollgate-tag', 'x-tollgate-cache', 'cache-control', 'anthropic-version', 'anthropic-beta', 'authorization', 'x-api-key', 'user-agent', 'origin', 'referer', 'content-type', 'accept', 'accept-encoding', 'host', 'openai-organization', 'x-custom'];
const SPECIAL: Readonly<Record<string, readonly string[]>> = {
  authorization: ['', 'Bearer ', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer sk-callers-own-key', 'bearer lowercase'],
  origin: ['null', 'http://evil.example', 'http://localhost:1', 'file://', 'http://[::1]'],
  host: ['evil.example', '127.0.0.1:1', 'localhost', '[::1]:9', '127.0.0.1.nip.io'],
  'content-type': ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16'],
  'x-tollgate-cache': ['bypass', 'BYPASS', 'off'],
  'accept-encoding': ['gzip, br', 'zstd'],
};

/** Up to three headers get hostile values; at most one long value, so the headers stay under Node's 16 KB limit. */
function hostileHeaders(r: Random, headers: Record<string, string>, labels: string[]): void {
  let longUsed = false;
  for (let i = r.int(1, 3); i > 0; i--) {
    const name = r.pick(HEADER_NAMES);
    let value = SPECIAL[name] && r.chance(0.5) ? r.pick(SPECIAL[name]!) : latin1HeaderValue(r);
    if (value.length > 400) {
      if (longUsed) value = value.slice(0, 400);
      longUsed = true;
    }
    headers[name] = value;
    labels.push(`header ${name} = ${preview(JSON.stringify(value))}`);
  }
}

/** Creates containers as needed; own properties even for "__proto__". */
function setAt(target: Json | unknown[], path: readonly string[], value: unknown): void {
  const [head, ...rest] = path as [string, ...string[]];
  const key: string | number = Array.isArray(target) ? Number(head) : head;
  if (rest.length === 0) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  let next = (target as Record<string | number, unknown>)[key];
  if (typeof next !== 'object' || next === null) {
    next = /^\d+$/.test(rest[0]!) ? [] : {};
    Object.defineProperty(target, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  setAt(next as Json | unknown[], rest, value);
}

export function preview(json: string): string {
  return json.length > 60 ? `${json.slice(0, 50)}… (${json.length} chars)` : json;
}
