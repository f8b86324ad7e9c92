import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { AdviceItem, AdviceResponse } from '../../daemon/gateway/api/advice-contracts';
import { adviceResponse } from '../../daemon/gateway/api/advice-contracts';
import { startOfLocalMonth } from '../../daemon/shared/local-time';
import { startHarness, type Harness } from '../helpers/harness';
import { plant } from '../helpers/plant';
import { cleanLog, cost, DAY_MS, HOUR_MS, PLANTED, plantedLog } from '../helpers/planted-log';

const MONTH_MS = 30 * DAY_MS;

const tiers = { simple: 'openai/gpt-4o-mini', medium: 'openai/gpt-4o-mini', complex: 'openai/gpt-4o' };

function within10Percent(actual: number, expected: number, what: string): void {
  assert.ok(expected > 0, `${what}: the hand-computed figure is positive`);
  assert.ok(Math.abs(actual - expected) <= 0.1 * expected, `${what}: ${actual} is not within 10 % of ${expected}`);
}

const only = (advice: AdviceResponse, kind: AdviceItem['kind']): AdviceItem => {
  const found = advice.advice.filter((item) => item.kind === kind);
  assert.equal(found.length, 1, `one "${kind}" advice in ${JSON.stringify(advice.advice.map((a) => a.kind))}`);
  return found[0]!;
};

describe('advisor: GET /tollgate/v1/advice on a log with planted patterns', () => {
  let h: Harness;
  let advice: AdviceResponse;
  const now = Date.now();
  const start = Math.floor((now - 6 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const rows = plantedLog(start);
  const totalUsd = rows.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  const monthUsd = rows.filter((r) => r.ts >= startOfLocalMonth(now)).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  // The log covers the window from the hour of its first call: every monthly figure is scaled by this.
  const toMonth = (): number => MONTH_MS / (advice.until - start);
  const endOfMonth = ((d) => new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime())(new Date(now));
  const burnPerMs = totalUsd / (now - start);
  // A limit the burn rate crosses halfway through what is left of the month.
  const monthlyLimit = monthUsd + 0.5 * burnPerMs * (endOfMonth - now);

  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, routing: { tiers }, budgets: { monthlyUsd: monthlyLimit } }) });
    plant(h, rows);
    advice = adviceResponse.parse(await h.admin.advice('7d'));
  });
  after(() => h.close());

  it('recommends the exact cache with the repeats it would have answered, priced', () => {
    const item = only(advice, 'duplicates');
    const repeats = PLANTED.duplicates.calls - 1;
    within10Percent(item.effect.amount, repeats * cost('gpt-4o-mini', 300, 100) * toMonth(), 'duplicates $/month');
    assert.equal(item.effect.unit, 'usd');
    assert.match(item.evidence[0]!.value, new RegExp(`^${repeats} of ${rows.length} `));
    assert.equal(item.evidence.find((e) => e.label === 'Most repeated on')!.value, `openai/gpt-4o-mini (${repeats})`);
    assert.deepEqual(item.action, { command: 'tollgate.toggleCache', label: 'Turn on the cache', args: [true] });
  });

  it('recommends routing, with what the simple tier would have saved on the plain questions', () => {
    const item = only(advice, 'routing');
    const saving = PLANTED.routable.calls * (cost('gpt-4o', 300, 100) - cost('gpt-4o-mini', 300, 100));
    within10Percent(item.effect.amount, saving * toMonth(), 'routing $/month');
    assert.match(item.evidence.find((e) => e.label === 'Would move')!.value, new RegExp(`^${PLANTED.routable.calls} `));
  });

  it('names the key the provider refuses with 429, and only that key', () => {
    const item = only(advice, 'rate-limits');
    assert.match(item.summary, /openai key "openai#2"/);
    within10Percent(item.effect.amount, (PLANTED.rateLimited.calls * PLANTED.rateLimited.refusedMs * toMonth()) / 1000, '429 seconds/month');
    assert.deepEqual(item.action?.args, ['openai']);
  });

  it('flags the slow model against the fast one, with the waiting it would save', () => {
    const item = only(advice, 'slow-model');
    assert.match(item.title, /openai\/gpt-4o-mini where openai\/gpt-4o is slow/);
    const { routable, slow, longUnstreamed } = PLANTED;
    const calls = routable.calls + slow.calls + longUnstreamed.calls;
    const mean = (routable.calls * routable.latencyMs + slow.calls * slow.latencyMs + longUnstreamed.calls * longUnstreamed.latencyMs) / calls;
    within10Percent(item.effect.amount, (calls * (mean - PLANTED.background.latencyMs) * toMonth()) / 1000, 'slow model seconds/month');
  });

  it('recommends streaming the long answers, from the measured time to first token', () => {
    const item = only(advice, 'streaming');
    const { calls, latencyMs } = PLANTED.longUnstreamed;
    within10Percent(item.effect.amount, (calls * (latencyMs - PLANTED.background.ttftMs) * toMonth()) / 1000, 'streaming seconds/month');
    assert.equal(item.evidence.find((e) => e.label === 'Models')!.value, `openai/gpt-4o (${calls})`);
  });

  it('warns of the monthly budget the burn rate overruns, by the overrun', () => {
    const item = only(advice, 'budget');
    assert.equal(item.effect.per, 'month');
    within10Percent(item.effect.amount, monthUsd + burnPerMs * (endOfMonth - now) - monthlyLimit, 'budget overrun $');
    assert.equal(item.action?.command, 'tollgate.setBudget');
  });

  it('ranks by share and gives every item evidence', () => {
    assert.equal(advice.advice.length, 6);
    const shares = advice.advice.map((item) => item.share);
    assert.deepEqual(shares, [...shares].sort((a, b) => b - a));
    for (const item of advice.advice) assert.ok(item.evidence.every((e) => e.value.length > 0), item.kind);
  });

  it('is token-gated, and refuses a malformed window with a 400 that says what it takes', async () => {
    const url = `${h.admin.baseUrl}/tollgate/v1/advice?since=7d`;
    assert.equal((await fetch(url)).status, 401);
    const bad = await fetch(`${h.admin.baseUrl}/tollgate/v1/advice?since=last-week`, { headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /since/);
  });
});

describe('advisor: a log without those patterns', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, routing: { tiers }, budgets: { monthlyUsd: 1000 } }) });
    plant(h, cleanLog(Math.floor((Date.now() - 6 * DAY_MS) / HOUR_MS) * HOUR_MS));
  });
  after(() => h.close());

  it('yields no advice', async () => {
    const advice = await h.admin.advice('7d');
    assert.equal(advice.calls, PLANTED.background.calls);
    assert.deepEqual(advice.advice, []);
  });
});

describe('advisor: repeats counted on the way through the gateway', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('counts a repeated deterministic call as one the cache would have answered, and a sampled one not', async () => {
    const client = h.openai();
    const ask = (temperature?: number) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Name a colour.' }], ...(temperature === undefined ? {} : { temperature }) });
    for (let i = 0; i < 6; i++) await ask(0);
    for (let i = 0; i < 6; i++) await ask();
    await h.waitForRequests(12);
    const item = (await h.admin.advice('1h')).advice.find((a) => a.kind === 'duplicates');
    assert.ok(item, 'duplicates advice');
    assert.match(item.evidence[0]!.value, /^5 of 12 /);
  });
});
