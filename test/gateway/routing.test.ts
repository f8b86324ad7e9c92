import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import type { StatsResponse, WhatIfResponse } from '../../daemon/gateway/api/contracts';
import { startHarness, type Harness } from '../helpers/harness';

const PROOF = 'Prove that there are infinitely many prime numbers.';
const DESIGN =
  'Design the architecture of a multi-tenant SaaS billing system with usage-based pricing, invoicing, proration and dunning. Describe services, data model, failure handling and how you would test it.';

/** Routing by complexity over HTTP, seen through the official SDKs, the headers, the provider and the log. */
describe('routing by complexity (model "auto")', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        routing: {
          tiers: { simple: 'openai/gpt-4o-mini', medium: 'openai/gpt-4.1-mini', complex: 'openai/gpt-4.1', reasoning: 'openai/o3' },
          rules: [
            { name: 'docs-bot', when: { tag: 'docs' }, tier: 'simple' },
            { name: 'contracts', when: { pattern: '\\bcontract\\b', in: 'user' }, model: 'openai/gpt-4o' },
            { name: 'spent', when: { dailyBudgetUsedAbove: 0.5 }, maxTier: 'medium' },
          ],
        },
        models: { 'claude-auto': { strategy: 'auto', tiers: { simple: 'anthropic/claude-3-5-haiku-latest', complex: 'anthropic/claude-sonnet-4-5' } } },
        budgets: { dailyUsd: 1000, onLimit: 'block' },
      }),
    });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const ask = (content: string, headers: Record<string, string> = {}) =>
    h.openai().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }] }, { headers }).withResponse();

  it('sends a lookup to the simple tier and a proof to the reasoning tier, saying why in headers and the log, with what routing saved', async () => {
    const lookup = await ask('What is the capital of Australia?');
    assert.equal(lookup.response.headers.get('x-tollgate-route-tier'), 'simple');
    assert.match(lookup.response.headers.get('x-tollgate-route-reason')!, /^estimator: simple \(complexity/);
    assert.equal(lookup.response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    const proof = await ask(PROOF);
    assert.equal(proof.response.headers.get('x-tollgate-route-tier'), 'reasoning');
    assert.match(proof.response.headers.get('x-tollgate-route-reason')!, /reasoning: proof or derivation \+2\.5/);
    const design = await ask(DESIGN);
    assert.equal(design.response.headers.get('x-tollgate-route-tier'), 'complex');
    assert.deepEqual(h.fake.requests.map((r) => (r.json as { model?: string }).model), ['gpt-4o-mini', 'o3', 'gpt-4.1']);
    const [designRow, proofRow, lookupRow] = await h.waitForRequests(3);
    assert.equal(lookupRow!.routeTier, 'simple');
    assert.match(lookupRow!.routeReason!, /^estimator: simple/);
    assert.ok(lookupRow!.routeBaselineUsd! > lookupRow!.costUsd!, 'the same tokens on the complex tier cost more');
    assert.equal(designRow!.routeBaselineUsd, designRow!.costUsd, 'a complex call costs its baseline');
    assert.equal(proofRow!.requestedModel, 'auto');
    const stats = await h.admin.get<StatsResponse>(`/tollgate/v1/stats?since=${lookupRow!.ts}`);
    assert.equal(stats.totals.routing.routed, 3);
    const saved = (lookupRow!.routeBaselineUsd! - lookupRow!.costUsd!) + (designRow!.routeBaselineUsd! - designRow!.costUsd!) + (proofRow!.routeBaselineUsd! - proofRow!.costUsd!);
    assert.ok(Math.abs(stats.totals.routing.savedUsd - saved) < 1e-12, `${stats.totals.routing.savedUsd} vs ${saved}`);
  });

  it('routes streamed calls and the Anthropic endpoint (an alias with strategy "auto" and its own tiers)', async () => {
    const stream = await h.openai().chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: PROOF }] }).withResponse();
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? '';
    assert.ok(text.length > 0);
    assert.equal(stream.response.headers.get('x-tollgate-route-tier'), 'reasoning');
    const claude = await h.anthropic().messages.create({ model: 'claude-auto', max_tokens: 50, messages: [{ role: 'user', content: 'Hi there!' }] }).withResponse();
    assert.equal(claude.response.headers.get('x-tollgate-route-tier'), 'simple');
    assert.equal(claude.data.model, 'claude-3-5-haiku-latest');
    const hard = await h.anthropic().messages.create({ model: 'claude-auto', max_tokens: 50, messages: [{ role: 'user', content: DESIGN }] }).withResponse();
    assert.equal(hard.response.headers.get('x-tollgate-route-tier'), 'complex');
    assert.equal(hard.data.model, 'claude-sonnet-4-5');
    assert.deepEqual(h.fake.requests.map((r) => (r.json as { model?: string }).model), ['o3', 'claude-3-5-haiku-latest', 'claude-sonnet-4-5']);
  });

  it('x-tollgate-route overrides by tier or model; a malformed one is a 400 that says what is allowed', async () => {
    const tier = await ask('What is the capital of Australia?', { 'x-tollgate-route': 'tier:complex' });
    assert.equal(tier.response.headers.get('x-tollgate-route-tier'), 'complex');
    assert.equal(tier.response.headers.get('x-tollgate-route-reason'), 'x-tollgate-route: tier:complex');
    const model = await ask('What is the capital of Australia?', { 'x-tollgate-route': 'model:openai/gpt-4o' });
    assert.equal(model.response.headers.get('x-tollgate-model'), 'gpt-4o');
    await assert.rejects(ask('hi', { 'x-tollgate-route': 'fastest' }), (error: { status?: number; message?: string }) => error.status === 400 && /x-tollgate-route must be "tier:/.test(error.message ?? ''));
    assert.deepEqual(h.fake.requests.map((r) => (r.json as { model?: string }).model), ['gpt-4.1', 'gpt-4o']);
  });

  it('rules come first: by tag, by a pattern in the user message, and a budget cap on the tier', async () => {
    const tagged = await ask(DESIGN, { 'x-tollgate-tag': 'docs' });
    assert.equal(tagged.response.headers.get('x-tollgate-route-tier'), 'simple');
    assert.equal(tagged.response.headers.get('x-tollgate-route-reason'), 'rule docs-bot: tier simple');
    const contract = await ask('Summarize this contract for me.');
    assert.equal(contract.response.headers.get('x-tollgate-route-reason'), 'rule contracts: model openai/gpt-4o');
    assert.equal(contract.response.headers.get('x-tollgate-model'), 'gpt-4o');
    assert.deepEqual(h.fake.requests.map((r) => (r.json as { model?: string }).model), ['gpt-4o-mini', 'gpt-4o']);
  });

  it('a dry run answers where the call would go, calls nothing, and logs an unbilled row', async () => {
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json', 'x-tollgate-route-dry-run': '1' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: PROOF }] }),
    });
    assert.equal(response.status, 200);
    const decision = (await response.json()) as { tier: string; target: string; rule: string | null; signals: Record<string, number> };
    assert.deepEqual([decision.tier, decision.target, decision.rule], ['reasoning', 'openai/o3', null]);
    assert.equal(decision.signals['reasoning: proof or derivation'], 2.5);
    assert.equal(h.fake.requests.length, 0);
    const [row] = await h.waitForRequests(1);
    assert.deepEqual([row!.status, row!.costUsd, row!.routeTier, row!.promptTokens], [200, 0, 'reasoning', null]);
  });
});

describe('routing: a rule caps the tier once the daily budget is mostly spent', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        routing: { tiers: { simple: 'openai/gpt-4o-mini', medium: 'openai/gpt-4.1-mini', complex: 'openai/gpt-4.1' }, rules: [{ name: 'thrifty', when: { dailyBudgetUsedAbove: 0.5 }, maxTier: 'medium' }] },
        budgets: { dailyUsd: 0.00025, onLimit: 'block' },
      }),
    });
  });
  after(() => h.close());

  it('before the spend the estimator decides; past half the daily budget the same prompt is capped at medium', async () => {
    const first = await h.openai().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: DESIGN }] }).withResponse();
    assert.equal(first.response.headers.get('x-tollgate-route-tier'), 'complex');
    await h.waitForRequests(1);
    const second = await h.openai().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: DESIGN }] }).withResponse();
    assert.equal(second.response.headers.get('x-tollgate-route-tier'), 'medium');
    assert.match(second.response.headers.get('x-tollgate-route-reason')!, /^rule thrifty: at most medium; estimator: complex/);
  });
});

describe('routing what-if: the log replayed through the routing config', () => {
  let h: Harness;
  // Prices set here so the expected figures can be worked out by hand.
  const PRICES = { mini: { input: 0.15, output: 0.6 }, big: { input: 2, output: 8 }, o3: { input: 10, output: 40 } };
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        pricing: { 'openai/gpt-4o-mini': PRICES.mini, 'openai/gpt-4.1': PRICES.big, 'openai/o3': PRICES.o3 },
        routing: { tiers: { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4.1', reasoning: 'openai/o3' } },
      }),
    });
  });
  after(() => h.close());

  it('reports, per model that served the calls, how many would move, their tiers, and the cost then and routed, as computed by hand', async () => {
    const call = (model: string, content: string) => h.openai().chat.completions.create({ model, messages: [{ role: 'user', content }] });
    await call('gpt-4.1', 'What is the capital of Australia?');
    await call('gpt-4.1', DESIGN);
    await call('gpt-4o-mini', PROOF);
    const [proof, design, lookup] = await h.waitForRequests(3);
    const cost = (price: { input: number; output: number }, row: typeof lookup) => (row!.promptTokens! * price.input + row!.completionTokens! * price.output) / 1e6;
    const report = await h.admin.get<WhatIfResponse>('/tollgate/v1/routing/what-if?since=1h');
    const big = report.byModel.find((m) => m.model === 'openai/gpt-4.1')!;
    const mini = report.byModel.find((m) => m.model === 'openai/gpt-4o-mini')!;
    assert.deepEqual([big.calls, big.moved, big.byTier], [2, 1, { simple: 1, medium: 0, complex: 1, reasoning: 0 }]);
    assert.deepEqual([mini.calls, mini.moved, mini.byTier], [1, 1, { simple: 0, medium: 0, complex: 0, reasoning: 1 }]);
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    close(big.costUsd, cost(PRICES.big, lookup) + cost(PRICES.big, design));
    close(big.routedCostUsd, cost(PRICES.mini, lookup) + cost(PRICES.big, design));
    close(mini.costUsd, cost(PRICES.mini, proof));
    close(mini.routedCostUsd, cost(PRICES.o3, proof));
    close(report.totals.differenceUsd, cost(PRICES.mini, lookup) - cost(PRICES.big, lookup) + cost(PRICES.o3, proof) - cost(PRICES.mini, proof));
    assert.deepEqual([report.totals.calls, report.totals.moved, report.withoutBody, report.totals.unpriced], [3, 2, 0, 0]);
    assert.equal(h.fake.requests.length, 3, 'the report sent nothing');
  });
});
