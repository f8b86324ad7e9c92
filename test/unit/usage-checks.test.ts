import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { REDACTED_SECRET, scrubSecrets } from '../../daemon/gateway/resilience/scrub-secrets';
import { isPlausibleUsage } from '../../daemon/gateway/usage/plausible';
import type { Usage } from '../../daemon/gateway/usage/types';

const usage = (overrides: Partial<Usage>): Usage => ({ inputTokens: 100, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...overrides });

describe('plausible usage', () => {
  const window128k = { outputCap: undefined, contextWindow: () => 128_000 };
  const cases: [string, Partial<Usage>, Parameters<typeof isPlausibleUsage>[1], boolean][] = [
    ['ordinary', {}, window128k, true],
    ['1e308 output', { outputTokens: 1e308 }, window128k, false],
    ['negative input', { inputTokens: -5 }, window128k, false],
    ['fractional', { outputTokens: 10.5 }, window128k, false],
    ['more cached than input', { cacheReadTokens: 101 }, window128k, false],
    ['more reasoning than output', { reasoningTokens: 51 }, window128k, false],
    ['output over max_tokens', { outputTokens: 121 }, { outputCap: 120, contextWindow: () => 128_000 }, false],
    ['output at max_tokens', { outputTokens: 120 }, { outputCap: 120, contextWindow: () => 128_000 }, true],
    ['input over the context window', { inputTokens: 200_000 }, window128k, false],
    ['input within a large window', { inputTokens: 900_000 }, { outputCap: undefined, contextWindow: () => 1_000_000 }, true],
    ['unknown window: up to 10M', { inputTokens: 2_000_000 }, { outputCap: undefined, contextWindow: () => undefined }, true],
  ];
  for (const [what, overrides, bounds, expected] of cases) {
    it(`${what}: ${expected ? 'believed' : 'refused'}`, () => assert.equal(isPlausibleUsage(usage(overrides), bounds), expected));
  }

  it('looks the context window up only for large counts', () => {
    let lookups = 0;
    isPlausibleUsage(usage({}), { outputCap: undefined, contextWindow: () => (lookups++, 128_000) });
    assert.equal(lookups, 0);
    isPlausibleUsage(usage({ inputTokens: 150_000 }), { outputCap: undefined, contextWindow: () => (lookups++, 128_000) });
    assert.equal(lookups, 1);
  });
});

describe('secret scrubbing', () => {
  it('replaces every occurrence of every secret, and returns the same buffer when there is none', () => {
    const body = Buffer.from('{"error":{"message":"Incorrect API key provided: sk-abcdefgh1234. Also sk-abcdefgh1234 and tg_token_value_xyz"}}');
    const scrubbed = scrubSecrets(body, ['sk-abcdefgh1234', 'tg_token_value_xyz', 'short']).toString();
    assert.equal(scrubbed, `{"error":{"message":"Incorrect API key provided: ${REDACTED_SECRET}. Also ${REDACTED_SECRET} and ${REDACTED_SECRET}"}}`);
    const clean = Buffer.from('{"error":{"message":"overloaded"}}');
    assert.equal(scrubSecrets(clean, ['sk-abcdefgh1234']), clean);
  });

  it('ignores values too short to be keys (a keyless provider\'s "" or "none")', () => {
    const body = Buffer.from('none of this is secret');
    assert.equal(scrubSecrets(body, ['', 'none']).toString(), 'none of this is secret');
  });
});
