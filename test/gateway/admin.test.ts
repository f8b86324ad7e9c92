import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'mocha';
import WebSocket from 'ws';
import { AdminError } from '../../daemon/gateway/api/client';
import type { CallSitesResponse, LiveEvent, RequestDetail, RouteResponse, StatsResponse } from '../../daemon/gateway/api/contracts';
import { messageHashes } from '../../daemon/shared/message-hash';
import { sleep, startHarness, type Harness } from '../helpers/harness';

interface ConfigView {
  path: string;
  config: { models: Record<string, unknown>; cache: { enabled: boolean }; providers: { id: string; apiKeys: unknown[] }[] };
}

describe('admin API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        providers: base.providers!.map((p) => (p.id === 'openai' ? { ...p, apiKeys: [...(p.apiKeys ?? []), { alias: 'literal', value: 'sk-literal-in-file-000' }] } : p)),
      }),
    });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const chat = (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra }, { headers });

  it('lists requests newest first with filters and cursor paging', async () => {
    for (let i = 0; i < 5; i++) await chat(`page ${i}`);
    h.fake.behave(() => ({ kind: 'status', status: 500 }));
    await assert.rejects(chat('broken'));
    await h.waitForRequests(6);
    const first = await h.admin.requests({ limit: 2 });
    assert.equal(first.requests.length, 2);
    assert.equal(first.requests[0]!.status, 500);
    assert.ok(first.nextCursor);
    const second = await h.admin.requests({ limit: 2, cursor: first.nextCursor! });
    assert.ok(second.requests[0]!.ts <= first.requests[1]!.ts);
    assert.notEqual(second.requests[0]!.id, first.requests[1]!.id);
    const errors = await h.admin.requests({ status: 'error', limit: 50 });
    assert.ok(errors.requests.length >= 1 && errors.requests.every((r) => r.status >= 400));
    const byModel = await h.admin.requests({ model: 'gpt-4o-mini', since: Date.now() - 60_000, limit: 100 });
    assert.ok(byModel.requests.length >= 6);
    const none = await h.admin.requests({ model: 'never-used' });
    assert.deepEqual(none.requests, []);
    await assert.rejects(h.admin.requests({ limit: 0 }), (error: AdminError) => error.status === 400 && /limit/.test(error.message));
  });

  it('returns one request with its stored bodies', async () => {
    const { response } = await chat('show my body').withResponse();
    await h.waitForRequests(1);
    const detail = await h.admin.get<RequestDetail>(`/tollgate/v1/requests/${response.headers.get('x-tollgate-request-id')}`);
    assert.match(detail.requestBody!, /show my body/);
    assert.match(detail.responseBody!, /Hello from the fake upstream/);
    await assert.rejects(h.admin.get('/tollgate/v1/requests/req_nope'), (error: AdminError) => error.status === 404);
  });

  it('reports stats by model and time bucket, with latency percentiles', async () => {
    h.fake.behave(() => ({ kind: 'ok', latencyMs: 40, usage: { promptTokens: 100, completionTokens: 10 } }));
    for (let i = 0; i < 4; i++) await h.openai().chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: `stats ${i}` }] });
    await h.waitForRequests(4);
    const stats = await h.admin.stats({ since: Date.now() - 3_600_000, bucket: 'hour' });
    const mini = stats.byModel.find((m) => m.model === 'gpt-4.1-nano')!;
    assert.equal(mini.requests, 4);
    assert.ok(mini.latencyMs.p50! >= 40 * 0.95, `p50 ${mini.latencyMs.p50}`);
    assert.ok(mini.latencyMs.p99! >= mini.latencyMs.p50!);
    assert.ok(stats.byBucket.length >= 1);
    assert.equal(stats.byBucket.reduce((sum, b) => sum + b.requests, 0), stats.totals.requests);
    await assert.rejects(h.admin.stats({ bucket: 'week' }), (error: AdminError) => error.status === 400);
  });

  it('serves config with literal keys redacted, and keeps them across a PUT of the redacted form', async () => {
    const view = await h.admin.get<ConfigView>('/tollgate/v1/config');
    assert.ok(!JSON.stringify(view).includes('sk-literal-in-file-000'));
    assert.deepEqual(view.config.providers[0]!.apiKeys, ['env:TEST_OPENAI_KEY', { alias: 'literal', value: '<redacted>' }]);
    const updated = { ...view.config, models: { quick: { targets: ['openai/gpt-4o-mini'] } } };
    await h.admin.put('/tollgate/v1/config', updated);
    const onDisk = readFileSync(view.path, 'utf8');
    assert.match(onDisk, /sk-literal-in-file-000/, 'the literal key the user wrote stays in their file');
    assert.match(onDisk, /"quick"/);
    await h.openai().chat.completions.create({ model: 'quick', messages: [{ role: 'user', content: 'x' }] });
    assert.equal((h.fake.requests[0]!.json as { model: string }).model, 'gpt-4o-mini', 'applied without restart');
    await h.waitForRequests(1);
  });

  it('refuses an invalid config with every problem named, and keeps the old one', async () => {
    const view = await h.admin.get<ConfigView>('/tollgate/v1/config');
    await assert.rejects(
      h.admin.put('/tollgate/v1/config', { ...view.config, models: { bad: { targets: ['ghost/x'] } }, cache: { enabled: 'yes' } }),
      (error: AdminError) => error.status === 400 && /models\.bad\.targets\[0\]/.test(error.message) || /cache\.enabled/.test(error.message),
    );
    const still = await h.admin.get<ConfigView>('/tollgate/v1/config');
    assert.deepEqual(still.config.models, view.config.models);
  });

  it('reloads the config when the file changes on disk, and ignores an invalid edit', async () => {
    const view = await h.admin.get<ConfigView>('/tollgate/v1/config');
    const raw = JSON.parse(readFileSync(view.path, 'utf8')) as Record<string, unknown>;
    writeFileSync(view.path, JSON.stringify({ ...raw, models: { edited: { targets: ['anthropic/claude-3-5-haiku-latest'] } } }));
    await waitFor(async () => Boolean((await h.admin.get<ConfigView>('/tollgate/v1/config')).config.models['edited']));
    writeFileSync(join(view.path), '{ not json');
    await sleep(300);
    assert.ok((await h.admin.get<ConfigView>('/tollgate/v1/config')).config.models['edited'], 'a broken edit leaves the last good config');
    writeFileSync(view.path, JSON.stringify(raw));
  });

  it('pushes every logged request to live WebSocket clients, and refuses a client without the token', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${h.gateway.port}/tollgate/v1/live`, { headers: { authorization: `Bearer ${h.gateway.token}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const events: LiveEvent[] = [];
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as LiveEvent));
    const { response } = await chat('live one').withResponse();
    await waitFor(async () => events.length >= 1);
    assert.equal(events[0]!.request.id, response.headers.get('x-tollgate-request-id'));
    socket.close();
    const refused = new WebSocket(`ws://127.0.0.1:${h.gateway.port}/tollgate/v1/live`);
    const error = await new Promise<Error>((resolve) => refused.once('error', resolve));
    assert.match(error.message, /401/);
    await h.waitForRequests(1);
  });

  it('answers "calls from this site" by message hash and by tag', async () => {
    const system = 'You are a careful assistant who summarises support tickets in two sentences.';
    const ticket = 'Ticket 4411: the export button does nothing on Safari.';
    for (let i = 0; i < 3; i++) {
      await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: system }, { role: 'user', content: `${ticket} (#${i})` }] });
    }
    await chat('tagged call', {}, { 'x-tollgate-tag': 'summarize-v2' });
    await h.waitForRequests(4);
    const systemHashes = messageHashes(system);
    const result = await h.admin.post<CallSitesResponse>('/tollgate/v1/callsites', {
      sites: [
        { id: 'literal-system', hashes: [systemHashes.full] },
        { id: 'template-head', hashes: [systemHashes.full, messageHashes(ticket + ' (#0)').head!] },
        { id: 'tagged', tag: 'summarize-v2' },
        { id: 'never-ran', hashes: [messageHashes('something else entirely').full] },
      ],
    });
    const byId = Object.fromEntries(result.sites.map((s) => [s.id, s]));
    assert.equal(byId['literal-system']!.calls, 3);
    assert.ok(byId['literal-system']!.costUsd > 0 && byId['literal-system']!.p50LatencyMs! > 0);
    assert.equal(byId['template-head']!.calls, 3, 'the fixed opening text of a template links all its calls');
    assert.equal(byId['tagged']!.calls, 1);
    assert.equal(byId['never-ran']!.calls, 0);
  });

  it('stats take since as the CLI does: ms, "today" at the caller\'s midnight, or a span; anything else is a 400 naming the forms', async () => {
    const now = Date.now();
    const today = await h.admin.get<StatsResponse>('/tollgate/v1/stats?since=today&tzOffsetMinutes=60');
    const localMidnight = Math.floor((now + 3_600_000) / 86_400_000) * 86_400_000 - 3_600_000;
    assert.ok(today.since === localMidnight || today.since === localMidnight + 86_400_000, `${today.since} vs ${localMidnight}`);
    const day = await h.admin.get<StatsResponse>('/tollgate/v1/stats?since=24h');
    assert.ok(Math.abs(day.since - (now - 86_400_000)) < 5_000);
    assert.equal((await h.admin.get<StatsResponse>('/tollgate/v1/stats?since=1000')).since, 1000);
    await assert.rejects(h.admin.get('/tollgate/v1/stats?since=yesterday'), (error: AdminError) => error.status === 400 && /"today", or a span like 30m, 24h, 7d/.test(error.message));
  });

  it('explains where a model would be routed', async () => {
    const route = await h.admin.get<RouteResponse>('/tollgate/v1/route?model=claude-3-5-haiku-latest');
    assert.deepEqual(route.targets, [{ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }]);
    const unknown = await h.admin.get<RouteResponse>('/tollgate/v1/route?model=ghost/x');
    assert.match(unknown.error!, /Unknown provider/);
  });

  it('serves repeated identical requests from the exact cache when enabled, and clears it', async () => {
    const view = await h.admin.get<ConfigView>('/tollgate/v1/config');
    await h.admin.put('/tollgate/v1/config', { ...view.config, cache: { enabled: true } });
    const deterministic = { temperature: 0 };
    const first = await chat('cache me', deterministic).withResponse();
    const second = await chat('cache me', deterministic).withResponse();
    assert.equal(first.response.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(second.response.headers.get('x-tollgate-cost-usd'), '0');
    assert.deepEqual(second.data.choices, first.data.choices);
    assert.equal(h.fake.requests.length, 1, 'the hit never reached the provider');
    const bypass = await chat('cache me', deterministic, { 'cache-control': 'no-store' }).withResponse();
    assert.equal(bypass.response.headers.get('x-tollgate-cache'), 'bypass');
    await h.waitForRequests(3);
    const cleared = await h.admin.delete<{ deleted: number }>('/tollgate/v1/cache');
    assert.equal(cleared.deleted, 1);
    const third = await chat('cache me', deterministic).withResponse();
    assert.equal(third.response.headers.get('x-tollgate-cache'), 'miss');
    const rows = await h.waitForRequests(4);
    assert.deepEqual(rows.map((r) => r.cache), ['miss', 'bypass', 'hit', 'miss']);
    assert.equal(rows[2]!.costUsd, 0);
    await h.admin.put('/tollgate/v1/config', view.config);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
