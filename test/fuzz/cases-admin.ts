import type { FuzzCase } from './case';
import { preview } from './cases-proxy';
import type { Random } from './random';
import { hostileJson, hostileString, latin1HeaderValue } from './values';

/**
 * The admin API with hostile query strings, ids and bodies, with and without the token. Admin
 * calls are not logged. Bodies that would change the running gateway are never valid ones (a
 * config with a hostile `providers`, keys that are not a list of keys), so the rest of the run
 * keeps its providers.
 */
const PREFIX = '/tollgate/v1';

type Shape = readonly [method: string, path: (r: Random) => string, body?: (r: Random) => string];

/** Percent-encoded; the UTF-8 round trip turns lone surrogates into U+FFFD, which encodeURIComponent would throw on. */
const q = (r: Random): string => encodeURIComponent(Buffer.from(r.chance(0.5) ? hostileString(r).slice(0, 2_000) : latin1HeaderValue(r), 'utf8').toString('utf8'));
const param = (r: Random): string => r.pick(['since', 'until', 'model', 'provider', 'tag', 'status', 'limit', 'cursor', 'bucket', 'tzOffsetMinutes', 'x']);

const SHAPES: readonly Shape[] = [
  ['GET', () => '/health'],
  ['GET', (r) => `/requests?${param(r)}=${q(r)}&${param(r)}=${r.pick(['-1', '1e309', '0', '99999999999', 'NaN', '%zz', q(r)])}`],
  ['GET', (r) => `/requests/${r.chance(0.5) ? q(r) : 'req_' + 'x'.repeat(r.int(1, 300))}`],
  ['GET', (r) => `/stats?${param(r)}=${q(r)}`],
  ['GET', () => '/config'],
  ['PUT', () => '/config', (r) => r.weighted([[3, () => `{"providers":${hostileJson(r)}}`], [1, () => hostileString(r)], [1, () => `\ufeff{"providers":${hostileJson(r)},"x":1}`]])()],
  // Patches that cannot apply: a hostile `providers` (never null, which a merge patch reads as
  // "remove them": the defaults, api.openai.com, would then serve the rest of the run), or
  // nesting the merge would have to follow.
  ['PATCH', () => '/config', (r) => (r.chance(0.5) ? `{"providers":${hostileJson(r).replace(/^null$/, '[null]')}}` : deepPatch(r.pick([40, 100_000])))],
  ['GET', () => '/keys'],
  ['PUT', (r) => `/keys/${r.pick(['openai', 'anthropic', 'nowhere', q(r)])}`, (r) => r.chance(0.7) ? `{"keys":${hostileJson(r)}}` : hostileJson(r)],
  ['DELETE', (r) => `/keys/${r.pick(['nowhere', q(r)])}`],
  ['GET', (r) => `/route?model=${q(r)}`],
  ['DELETE', () => '/cache'],
  ['POST', () => '/callsites', (r) => r.chance(0.7) ? `{"sites":${hostileJson(r)},"since":${hostileJson(r)}}` : hostileJson(r)],
  ['PATCH', () => '/health'],
  ['GET', (r) => `/${q(r)}`],
];

function deepPatch(depth: number): string {
  return `{"cache":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

export function adminCase(r: Random, id: number, token: string): FuzzCase {
  const [method, path, body] = r.pick(SHAPES);
  const target = `${PREFIX}${path(r)}`;
  const auth = r.weighted<Record<string, string>>([
    [8, { authorization: `Bearer ${token}` }],
    [1, {}],
    [1, { authorization: `Bearer ${latin1HeaderValue(r)}` }],
    [1, { 'x-tollgate-token': token }],
  ]);
  const bytes = body ? Buffer.from(body(r)) : undefined;
  return {
    id,
    label: `admin ${method} ${preview(target)}${bytes ? ` body ${preview(bytes.toString('utf8'))}` : ''}`,
    send: { kind: 'http', method, path: target, headers: { ...auth, 'content-type': 'application/json' }, body: bytes },
    logged: 0,
    upstreamFails: false,
    clientLeaves: false,
    // Admin bodies are limited to 64 KB (keys) or 1 MB (config, call sites): refused unread above that.
    cutOffOk: bytes !== undefined && bytes.length > 64 * 1024,
  };
}
