import { createHash } from 'node:crypto';
import { isRecord, stringifyJson } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';

/**
 * Top-level fields that do not change what the model answers: how the answer is delivered
 * (`stream`, `stream_options`), who asked (`user`, `safety_identifier`, `metadata`), what the
 * provider keeps (`store`, `prompt_cache_key`), and `model`, which the key holds as the resolved
 * upstream model instead (so an alias and the model it names share entries).
 */
const NOT_IN_KEY = new Set(['model', 'stream', 'stream_options', 'user', 'safety_identifier', 'metadata', 'store', 'prompt_cache_key']);

export interface CacheKeyInput {
  endpoint: EndpointKind;
  provider: string;
  upstreamModel: string;
  body: Record<string, unknown>;
}

/**
 * The exact cache's key: endpoint, resolved provider and upstream model, and the body in
 * canonical form (keys sorted at every depth, no whitespace), so two requests that differ only in
 * key order, spacing, delivery or caller metadata share one entry.
 */
export function cacheKeyFor(input: CacheKeyInput): string {
  const hash = createHash('sha256').update(`${input.endpoint}\u0000${input.provider}\u0000${input.upstreamModel}\u0000`);
  const kept: Record<string, unknown> = {};
  for (const name of Object.keys(input.body).sort()) {
    if (!NOT_IN_KEY.has(name) && input.body[name] !== undefined) kept[name] = canonical(input.body[name]);
  }
  return hash.update(stringifyJson(kept)).digest('hex');
}

/**
 * The value with object keys in sorted order, for every object inside it. Iterative: a caller's
 * body may nest deeper than the stack allows a recursion to go.
 */
export function canonical(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const root: { value: unknown } = { value: undefined };
  const work: { source: unknown; assign: (copy: unknown) => void }[] = [{ source: value, assign: (copy) => (root.value = copy) }];
  while (work.length > 0) {
    const { source, assign } = work.pop()!;
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      assign(copy);
      source.forEach((item, index) => pushOrSet(work, item, (v) => (copy[index] = v)));
    } else if (isRecord(source)) {
      const copy: Record<string, unknown> = {};
      assign(copy);
      for (const name of Object.keys(source).sort()) {
        // Define, not assign: "__proto__" is data here.
        Object.defineProperty(copy, name, { value: undefined, enumerable: true, writable: true, configurable: true });
        pushOrSet(work, source[name], (v) => (copy[name] = v));
      }
    } else {
      assign(source);
    }
  }
  return root.value;
}

function pushOrSet(work: { source: unknown; assign: (copy: unknown) => void }[], item: unknown, assign: (copy: unknown) => void): void {
  if (typeof item === 'object' && item !== null) work.push({ source: item, assign });
  else assign(item);
}

/**
 * Whether the same request gives the same answer: temperature 0, or a seed (OpenAI's best-effort
 * determinism). Embeddings always do. Anything else is sampled, and by default not cached: a
 * cached answer would silently turn a sampled call into a fixed one.
 */
export function isDeterministic(endpoint: EndpointKind, body: Record<string, unknown>): boolean {
  if (endpoint === 'embeddings') return true;
  return body['temperature'] === 0 || (typeof body['seed'] === 'number' && Number.isFinite(body['seed']));
}
