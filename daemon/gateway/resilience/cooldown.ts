import type { IncomingHttpHeaders } from 'node:http';

/**
 * How long a rate-limited key should rest, from what the provider said. Preference:
 * retry-after-ms (OpenAI's precise form), then Retry-After (seconds or an HTTP date), then the
 * reset headers of the limits that are exhausted (OpenAI "1s"/"6m0s" durations, Anthropic RFC
 * 3339 times). Clamped: a provider asking for 0 s still gets a short rest so that a hot loop of
 * retries cannot form, and none asking for hours pins a key out of service beyond 5 minutes.
 */
export const MIN_COOLDOWN_MS = 250;
export const MAX_COOLDOWN_MS = 5 * 60_000;
const DEFAULT_COOLDOWN_MS = 1000;

export function cooldownMs(headers: IncomingHttpHeaders, now = Date.now()): number {
  const stated = statedWaitMs(headers, now);
  return Math.min(MAX_COOLDOWN_MS, Math.max(MIN_COOLDOWN_MS, stated ?? DEFAULT_COOLDOWN_MS));
}

function statedWaitMs(headers: IncomingHttpHeaders, now: number): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms)) return ms;
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return date - now;
  }
  const resets = resetHeaderWaits(headers, now);
  return resets.length ? Math.max(...resets) : undefined;
}

/** The waits named by reset headers whose limit is exhausted (remaining 0), or all when none says. */
function resetHeaderWaits(headers: IncomingHttpHeaders, now: number): number[] {
  const waits: { wait: number; exhausted: boolean }[] = [];
  for (const limit of ['requests', 'tokens']) {
    const openaiReset = header(headers, `x-ratelimit-reset-${limit}`);
    if (openaiReset !== undefined) {
      const wait = parseDuration(openaiReset);
      if (wait !== undefined) waits.push({ wait, exhausted: header(headers, `x-ratelimit-remaining-${limit}`) === '0' });
    }
  }
  for (const limit of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const anthropicReset = header(headers, `anthropic-ratelimit-${limit}-reset`);
    if (anthropicReset !== undefined && Number.isFinite(Date.parse(anthropicReset))) {
      waits.push({ wait: Date.parse(anthropicReset) - now, exhausted: header(headers, `anthropic-ratelimit-${limit}-remaining`) === '0' });
    }
  }
  const exhausted = waits.filter((w) => w.exhausted);
  return (exhausted.length ? exhausted : waits).map((w) => w.wait);
}

const SIMPLE_DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;

/** OpenAI's durations: "1s", "6m0s", "1h2m3.5s", "250ms". */
export function parseDuration(text: string): number | undefined {
  // Every successful response carries one, nearly always this simple: skip the general parse.
  const simple = SIMPLE_DURATION.exec(text);
  if (simple) return Number(simple[1]) * (simple[2] === 'ms' ? 1 : 1000);
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (const match of text.matchAll(pattern)) {
    const value = Number(match[1]);
    total += value * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    matched += match[0];
  }
  return matched.length > 0 && matched === text.trim() ? total : undefined;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
