import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
// A Prometheus text-format parser (no types of its own): what a scraper would read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => MetricFamily[];
import type { StatsResponse } from '../../daemon/gateway/api/contracts';
import { startHarness, type Harness } from '../helpers/harness';

interface MetricFamily {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string }[];
}

/** GET /metrics after a known sequence of calls: what Prometheus would scrape, checked against the log. */
describe('GET /metrics (Prometheus text format)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true }, budgets: { dailyUsd: 10, onLimit: 'block' } }) });
  });
  after(() => h.close());

  /** null: no token at all. */
  const scrape = async (token: string | null = h.gateway.token): Promise<{ status: number; families: Map<string, MetricFamily>; text: string }> => {
    const response = await fetch(`${h.gateway.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, text, families: response.ok ? new Map(parsePrometheus(text).map((family) => [family.name, family])) : new Map() };
  };
  const total = (family: MetricFamily | undefined, match: Record<string, string> = {}): number =>
    (family?.metrics ?? []).filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v)).reduce((sum, m) => sum + Number(m.value ?? 0), 0);
  /**
   * A histogram's observations, from its `_count` series. The parser checks the histogram's
   * syntax but folds its labelled series together (a limitation of parse-prometheus-text-format),
   * so the counts are read from the text itself.
   */
  const histogramCount = (text: string, name: string): number =>
    [...text.matchAll(new RegExp(`^${name}_count(\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[2]), 0);

  it('counts match the log after calls, a cache hit, a stream and a refused call; gauges report budgets and keys', async () => {
    const openai = h.openai();
    await openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'metrics one' }] });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'metrics one' }] });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'metrics stream' }] });
    for await (const _chunk of stream) void _chunk;
    await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'metrics claude' }] });
    h.fake.behave(() => ({ kind: 'status', status: 400, message: 'bad request for metrics' }));
    await assert.rejects(openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'refused' }] }));
    h.fake.behave(undefined);
    const rows = await h.waitForRequests(5);

    const { status, families, text } = await scrape();
    assert.equal(status, 200);
    if (process.env['METRICS_DEBUG']) console.log(text);
    assert.match(text, /^# HELP tollgate_requests_total /m);
    const requests = families.get('tollgate_requests_total')!;
    assert.equal(requests.type, 'COUNTER');
    assert.equal(total(requests), rows.length);
    assert.equal(total(requests, { provider: 'anthropic', model: 'claude-3-5-haiku-latest', status: '200' }), 1);
    assert.equal(total(families.get('tollgate_errors_total'), { error_class: 'caller_rejected_by_provider' }), 1);
    const sum = (pick: (row: (typeof rows)[number]) => number | null) => rows.reduce((acc, row) => acc + (pick(row) ?? 0), 0);
    assert.equal(total(families.get('tollgate_tokens_total'), { kind: 'input' }), sum((r) => r.promptTokens));
    assert.equal(total(families.get('tollgate_tokens_total'), { kind: 'output' }), sum((r) => r.completionTokens));
    const stats = await h.admin.get<StatsResponse>(`/tollgate/v1/stats?since=${rows.at(-1)!.ts}`);
    assert.ok(Math.abs(total(families.get('tollgate_cost_usd_total')) - stats.totals.costUsd) < 1e-9);
    assert.equal(total(families.get('tollgate_cache_total'), { outcome: 'hit' }), 1);
    assert.ok(Math.abs(total(families.get('tollgate_cache_saved_usd_total')) - sum((r) => r.savedUsd)) < 1e-12);
    const latency = families.get('tollgate_request_duration_seconds')!;
    assert.equal(latency.type, 'HISTOGRAM');
    assert.equal(histogramCount(text, 'tollgate_request_duration_seconds'), rows.length);
    assert.equal(families.get('tollgate_time_to_first_token_seconds')!.type, 'HISTOGRAM');
    assert.equal(histogramCount(text, 'tollgate_time_to_first_token_seconds'), 1, 'one streamed call');
    const budget = families.get('tollgate_budget_remaining_usd')!;
    assert.ok(Math.abs(Number(budget.metrics.find((m) => m.labels?.['period'] === 'day')!.value) - (10 - stats.totals.costUsd)) < 1e-6);
    assert.equal(total(families.get('tollgate_keys_unavailable'), { provider: 'openai' }), 0);
  });

  it('made-up model names cannot grow the series without end: past 200 distinct ones they count as "other"', async () => {
    const openai = h.openai();
    for (let i = 0; i < 230; i++) await openai.chat.completions.create({ model: `gpt-made-up-${i}`, messages: [{ role: 'user', content: 'x' }] });
    const { families } = await scrape();
    const models = new Set(families.get('tollgate_requests_total')!.metrics.map((m) => m.labels?.['model']));
    assert.ok(models.size <= 201, `${models.size} model labels`);
    assert.ok(models.has('other'));
    assert.ok(total(families.get('tollgate_requests_total'), { model: 'other' }) >= 30);
  });

  it('needs the token unless server.metricsPublic', async () => {
    assert.equal((await scrape(null)).status, 401);
    assert.equal((await scrape('wrong-token-0123456789abcdefghijklmnop')).status, 401);
    await h.admin.patch('/tollgate/v1/config', { server: { metricsPublic: true } });
    assert.equal((await scrape(null)).status, 200);
    await h.admin.patch('/tollgate/v1/config', { server: { metricsPublic: null } });
    assert.equal((await scrape(null)).status, 401);
  });
});
