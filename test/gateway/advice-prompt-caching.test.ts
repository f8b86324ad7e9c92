import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { adviceResponse, type AdviceItem, type AdviceResponse } from '../../daemon/gateway/api/advice-contracts';
import { startHarness, type Harness } from '../helpers/harness';
import { plant } from '../helpers/plant';
import { cleanLog, DAY_MS, HOUR_MS } from '../helpers/planted-log';
import { prefixBursts, PREFIXES, prefixLookAlikes } from '../helpers/planted-prefixes';

const MONTH_MS = 30 * DAY_MS;

async function adviceOn(rows: Parameters<typeof plant>[1]): Promise<{ h: Harness; advice: AdviceResponse }> {
  const h = await startHarness();
  plant(h, rows);
  return { h, advice: adviceResponse.parse(await h.admin.advice('7d')) };
}

describe('advisor: a long prompt prefix resent without provider prompt caching', () => {
  const start = Math.floor((Date.now() - 6 * DAY_MS) / HOUR_MS) * HOUR_MS;
  let h: Harness;
  let advice: AdviceResponse;
  before(async () => ({ h, advice } = await adviceOn([...cleanLog(start), ...prefixBursts(start)])));
  after(() => h.close());

  const item = (title: RegExp): AdviceItem => {
    const items = advice.advice.filter((a) => a.kind === 'prompt-caching' && title.test(a.title));
    assert.equal(items.length, 1, JSON.stringify(advice.advice.map((a) => a.title)));
    return items[0]!;
  };
  const within10Percent = (actual: number, expected: number): void =>
    assert.ok(Math.abs(actual - expected) <= 0.1 * expected, `${actual} is not within 10 % of ${expected}`);

  it('tells an Anthropic caller to mark it, with the saving at the cached-input price net of the cache write', () => {
    const advised = item(/cache_control/);
    const { calls, tokens } = PREFIXES.burst;
    const { input, cacheRead, cacheWrite } = PREFIXES.price;
    // The first call writes the cache; each of the others, 3 minutes after the previous one, would read it.
    const saved = ((calls - 1) * tokens * (input - cacheRead) - tokens * (cacheWrite - input)) / 1e6;
    const expected = saved * (MONTH_MS / (advice.until - start));
    assert.equal(advised.effect.unit, 'usd');
    within10Percent(advised.effect.amount, expected);
    assert.match(advised.evidence[0]!.value, new RegExp(`^${calls - 1} of ${advice.calls} sampled`));
    assert.match(advised.evidence[1]!.value, /^1,50\d tokens on anthropic\/claude-sonnet-4-5 \(40 calls\)$/);
  });

  it('tells an OpenAI caller, whose provider caches by itself, to keep the prefix identical and first', () => {
    const advised = item(/identical and first/);
    const { calls, tokens } = PREFIXES.burst;
    const { input, cacheRead } = PREFIXES.openai;
    within10Percent(advised.effect.amount, (((calls - 1) * tokens * (input - cacheRead)) / 1e6) * (MONTH_MS / (advice.until - start)));
    assert.match(advised.evidence[1]!.value, /^1,50\d tokens on openai\/gpt-4o \(40 calls\)$/);
  });
});

describe('advisor: prompt prefixes that caching would not help', () => {
  const start = Math.floor((Date.now() - 6 * DAY_MS) / HOUR_MS) * HOUR_MS;
  let h: Harness;
  let advice: AdviceResponse;
  before(async () => ({ h, advice } = await adviceOn([...cleanLog(start), ...prefixLookAlikes(start)])));
  after(() => h.close());

  it('gives no prompt-caching advice for prefixes already cached, under 1,024 tokens, or resent after the cache expired', () => {
    assert.equal(advice.calls, 200 + 3 * PREFIXES.burst.calls);
    assert.deepEqual(advice.advice.filter((a) => a.kind === 'prompt-caching'), []);
  });
});
