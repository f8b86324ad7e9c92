import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/schema';
import type { EndpointKind } from '../endpoint-kind';
import { isDeterministic } from './cache-key';
import { requestHeader } from '../http/request-header';

/** What the exact cache may do for one request. */
export interface CachePolicy {
  /** The state the response header and log show unless the call is answered from the cache. */
  state: 'off' | 'bypass' | 'miss';
  /** Answer from a stored entry (or an identical call in flight) when there is one. */
  read: boolean;
  /** Store a successful answer. */
  write: boolean;
  /** Answer 504 instead of calling the provider on a miss (`x-tollgate-cache: only`). */
  only: boolean;
  /** Oldest entry accepted, in ms (`Cache-Control: max-age=N`); undefined: any live entry. */
  maxAgeMs: number | undefined;
}

const OFF: CachePolicy = { state: 'off', read: false, write: false, only: false, maxAgeMs: undefined };
const BYPASS: CachePolicy = { state: 'bypass', read: false, write: false, only: false, maxAgeMs: undefined };

/**
 * The request's own say, then the config's:
 * - `x-tollgate-cache: bypass` or `Cache-Control: no-store`: neither read nor stored;
 * - `x-tollgate-cache: refresh` or `Cache-Control: no-cache`: not read, the fresh answer stored;
 * - `x-tollgate-cache: only`: read, and a miss answers 504 without calling the provider;
 * - `Cache-Control: max-age=N`: only an entry at most N seconds old is served.
 * A sampled request (no temperature 0, no seed) is not cached unless `cache.cacheable` is "all".
 */
export function cachePolicy(headers: IncomingHttpHeaders, endpoint: EndpointKind, body: Record<string, unknown>, config: Config): CachePolicy {
  const own = requestHeader(headers, 'x-tollgate-cache').toLowerCase();
  const only = own === 'only';
  if (!config.cache.enabled) return only ? { ...OFF, only } : OFF;
  return policyWhenOn(headers, own, endpoint, body, config.cache.cacheable);
}

/** Whether the exact cache, turned on with the rest of the config as it is, would keep this request's answer. */
export function keptWhenOn(headers: IncomingHttpHeaders, endpoint: EndpointKind, body: Record<string, unknown>, config: Config): boolean {
  return policyWhenOn(headers, requestHeader(headers, 'x-tollgate-cache').toLowerCase(), endpoint, body, config.cache.cacheable).write;
}

/** The policy of an enabled cache; `own` is the request's x-tollgate-cache, lower-cased. */
function policyWhenOn(headers: IncomingHttpHeaders, own: string, endpoint: EndpointKind, body: Record<string, unknown>, cacheable: Config['cache']['cacheable']): CachePolicy {
  const only = own === 'only';
  const control = requestHeader(headers, 'cache-control').toLowerCase();
  if (own === 'bypass' || /(^|[\s,])no-store\b/.test(control)) return only ? { ...BYPASS, only } : BYPASS;
  if (cacheable === 'deterministic' && !isDeterministic(endpoint, body)) return only ? { ...BYPASS, only } : BYPASS;
  const refresh = own === 'refresh' || /(^|[\s,])no-cache\b/.test(control);
  const maxAge = /(^|[\s,])max-age\s*=\s*"?(\d+)/.exec(control);
  return { state: 'miss', read: !refresh, write: true, only, maxAgeMs: maxAge ? Number(maxAge[2]) * 1000 : undefined };
}
