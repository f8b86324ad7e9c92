import type { Config } from '../config/schema';
import type { EndpointKind } from '../endpoint-kind';
import type { ProxyCall } from '../pipeline/call';
import type { CacheWrite } from '../store/cache-store';
import { SSE_TYPE } from './replay';
import { isCompleteStream } from './stream-to-json';

/**
 * The entry a finished call leaves in the cache, or undefined: only a call the cache may store
 * (its key is set), answered 200 in full with no error, and, for a stream, one that reached its
 * API's last event and fit in `cache.maxEntryBytes`. Errors, cut streams and clients that left
 * are never cached.
 */
export function cacheWriteOf(call: ProxyCall, outcome: { status: number; finished: boolean; costUsd: number | null; latencyMs: number }, config: Config): CacheWrite | undefined {
  if (!call.cacheKey || outcome.status !== 200 || !outcome.finished || call.errorClass !== null) return undefined;
  const kind = call.endpoint as EndpointKind;
  const limits = config.cache;
  let form: 'json' | 'sse';
  let body: Buffer | undefined;
  if (call.stream) {
    body = call.cacheCapture?.bytes();
    if (!body || call.cacheCapture!.truncated || !isCompleteStream(kind, body)) return undefined;
    form = 'sse';
  } else {
    body = call.cacheJson;
    if (!body || body.length > limits.maxEntryBytes) return undefined;
    form = 'json';
  }
  const created = Date.now();
  return {
    keepAtMost: limits.maxEntries,
    semantic: call.semantic && { ...call.semantic, entryKey: call.cacheKey },
    entry: {
      key: call.cacheKey,
      created,
      expires: created + limits.ttlSeconds * 1000,
      form,
      contentType: form === 'sse' ? SSE_TYPE : 'application/json',
      body,
      endpoint: kind,
      provider: call.provider ?? '',
      model: call.upstreamModel ?? '',
      costUsd: outcome.costUsd,
      latencyMs: outcome.latencyMs,
      requestId: call.id,
    },
  };
}
