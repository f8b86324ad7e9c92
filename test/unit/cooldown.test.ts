import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { cooldownMs, MAX_COOLDOWN_MS, MIN_COOLDOWN_MS, parseDuration } from '../../daemon/gateway/resilience/cooldown';

const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('cooldowns from what the provider said', () => {
  const cases: [string, Record<string, string>, number][] = [
    ['retry-after-ms wins', { 'retry-after-ms': '1500', 'retry-after': '30' }, 1500],
    ['Retry-After in seconds', { 'retry-after': '7' }, 7000],
    ['Retry-After as an HTTP date', { 'retry-after': new Date(NOW + 20_000).toUTCString() }, 20_000],
    ['OpenAI reset of the exhausted limit only', { 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-tokens': '6m0s', 'x-ratelimit-remaining-tokens': '900' }, 2000],
    ['Anthropic RFC 3339 reset', { 'anthropic-ratelimit-tokens-reset': new Date(NOW + 4000).toISOString(), 'anthropic-ratelimit-tokens-remaining': '0' }, 4000],
    ['nothing said: one second', {}, 1000],
    ['0 s still rests a little', { 'retry-after': '0' }, MIN_COOLDOWN_MS],
    ['hours are capped', { 'retry-after': '7200' }, MAX_COOLDOWN_MS],
    ['garbage is ignored', { 'retry-after': 'soon', 'retry-after-ms': 'later' }, 1000],
  ];
  for (const [what, headers, expected] of cases) {
    it(`${what}: ${expected} ms`, () => assert.equal(cooldownMs(headers, NOW), expected));
  }

  it("parses OpenAI's durations", () => {
    const table: [string, number | undefined][] = [['1s', 1000], ['250ms', 250], ['6m0s', 360_000], ['1h2m3.5s', 3_723_500], ['2.5s', 2500], ['abc', undefined], ['1x', undefined]];
    for (const [text, ms] of table) assert.equal(parseDuration(text), ms, text);
  });
});
