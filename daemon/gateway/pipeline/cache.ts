import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/schema';
import type { CacheStore } from '../store/cache-store';
import type { ProxyCall } from './call';
import { tollgateHeaders } from './headers';

/**
 * The exact response cache: a repeated identical request (same endpoint, same target, same
 * body bytes) is answered locally, free and in microseconds. Off by default; per request it is
 * skipped with `Cache-Control: no-cache` or `x-tollgate-cache: bypass`. Streamed calls are not
 * cached (their replay would not stream), and are logged as "bypass".
 */
export function cacheKeyFor(call: ProxyCall, raw: Buffer): string {
  return createHash('sha256').update(`${call.endpoint}\u0000${call.provider}\u0000${call.upstreamModel}\u0000`).update(raw).digest('hex');
}

export function cacheDecision(req: IncomingMessage, call: ProxyCall, config: Config): 'off' | 'bypass' | 'lookup' {
  if (!config.cache.enabled || !call.billed) return 'off';
  const control = req.headers['cache-control'] ?? '';
  if (call.stream || req.headers['x-tollgate-cache'] === 'bypass' || /no-cache|no-store/.test(control)) return 'bypass';
  return 'lookup';
}

/** Answers from the cache if it holds a live entry; returns whether it did. */
export function answerFromCache(store: CacheStore, key: string, call: ProxyCall, res: ServerResponse): boolean {
  const hit = store.get(key);
  if (!hit) return false;
  call.cache = 'hit';
  call.billed = false;
  call.attempts = 0;
  call.response.add(hit.body);
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(hit.status, {
    'content-type': hit.contentType,
    'content-length': hit.body.length,
    ...tollgateHeaders(call),
    'x-tollgate-cost-usd': '0',
  });
  res.end(hit.body);
  return true;
}
