import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { after, before, describe, it } from 'mocha';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { JobView, SubmitJobsResponse } from '../../daemon/gateway/api/job-contracts';
import { startOfLocalMonth } from '../../daemon/shared/local-time';
import { formatCount, formatMoney } from '../../webview/format';
import type { ExtensionToWebview, RangeData, UsageSnapshot } from '../../webview/messages';
import { startHarness, type Harness } from '../helpers/harness';
import { DAY_MS, HOUR_MS, plantedLog } from '../helpers/planted-log';
import { plant } from '../helpers/plant';
import { themeCss, type ThemeName } from './themes';

const ROOT = join(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const USD = { code: 'USD', perUsd: 1 };

/** Deferred chat jobs run in a provider batch (the fake's), awaited until each has succeeded. */
async function runBatchJobs(h: Harness, count: number): Promise<void> {
  const headers = { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json' };
  const requests = Array.from({ length: count }, (_, i) => ({ endpoint: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `batch ${i}` }] }, mode: 'batch' }));
  const submitted = await fetch(`${h.gateway.url}/tollgate/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ requests }) });
  assert.equal(submitted.status, 202);
  for (const { id } of ((await submitted.json()) as SubmitJobsResponse).jobs) {
    const job = (await (await fetch(`${h.gateway.url}/tollgate/v1/jobs/${id}?wait=20`, { headers })).json()) as JobView;
    assert.equal(job.status, 'succeeded', `${job.id}: ${job.error}`);
  }
}

/**
 * The usage panel's bundle (built from webview/ as esbuild.mjs builds dist/webview.js) in headless Chromium,
 * fed the messages the extension relays from a real gateway whose log holds planted patterns.
 * acquireVsCodeApi is the only stand-in: it records what the panel asks the extension to do.
 */
describe('usage panel (webview bundle in Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let snapshot: UsageSnapshot;
  let week: RangeData;
  /** Errors thrown in any page: the bundle must run clean. */
  const errors: string[] = [];
  /** The end of the week shown: read after the batch jobs have run, so their calls are in it. */
  let now = Date.now();

  // Built here from the sources, so the test never runs a stale dist/.
  const bundleDir = mkdtempSync(join(tmpdir(), 'tollgate-webview-'));

  before(async function () {
    await build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning', entryPoints: [join(ROOT, 'webview/main.ts')], outfile: join(bundleDir, 'webview.js') });
    // Batches are flushed and polled quickly, so the deferred jobs below finish within the setup.
    const jobs = { batch: { maxSize: 80, maxAgeSeconds: 0.2, pollMs: 20, fallbackSeconds: 5 } };
    h = await startHarness({ config: (base) => ({ ...base, routing: { tiers: { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4o' } }, budgets: { monthlyUsd: 1 }, jobs }) });
    plant(h, plantedLog(Math.floor((now - 6 * DAY_MS) / HOUR_MS) * HOUR_MS));
    await runBatchJobs(h, 3);
    now = Date.now();
    const tzOffsetMinutes = -new Date(now).getTimezoneOffset();
    const [today, recent, stats, series, advice] = await Promise.all([
      h.admin.stats({ since: 'today', until: now, bucket: 'day', tzOffsetMinutes }),
      h.admin.requests({ limit: 25 }),
      h.admin.stats({ since: now - 7 * DAY_MS, until: now, bucket: 'hour', tzOffsetMinutes, split: 'model' }),
      h.admin.series({ since: now - 7 * DAY_MS, until: now, bucket: 'hour', tzOffsetMinutes }),
      h.admin.advice(now - 7 * DAY_MS),
    ]);
    snapshot = { at: now, today: today.totals, byModel: today.byModel, series: [], recent: recent.requests, budgets: today.budgets ?? [] };
    week = { range: '7d', at: now, stats, series, advice };
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    assert.deepEqual(errors, [], 'errors in the panel page');
    await browser?.close();
    await h?.close();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  async function openPanel(theme: ThemeName): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 380, height: 900 } });
    await page.setContent(`<!DOCTYPE html><html><head><style>${themeCss(theme)}</style></head><body><main id="app"></main></body></html>`);
    page.on('pageerror', (error) => errors.push(error.message));
    // Strings, not functions: tsx compiles functions with helpers the page does not have.
    await page.evaluate(`window.sent = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m), getState: () => undefined, setState: () => undefined });`);
    await page.addStyleTag({ path: join(bundleDir, 'webview.css') });
    await page.addScriptTag({ path: join(bundleDir, 'webview.js') });
    return page;
  }

  const post = (page: Page, message: ExtensionToWebview): Promise<void> => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  const sent = (page: Page): Promise<unknown[]> => page.evaluate<unknown[]>('window.sent');

  async function showWeek(page: Page): Promise<void> {
    await post(page, { type: 'gateway', gateway: { kind: 'up', url: h.gateway.url, version: 'test' } });
    await post(page, { type: 'snapshot', snapshot, currency: USD });
    await page.getByRole('button', { name: '7d', exact: true }).click();
    await post(page, { type: 'range', data: week });
    await page.locator('#spend-chart canvas').waitFor();
  }

  it('asks for the picked range and shows its totals as the stats endpoint gives them', async () => {
    const page = await openPanel('dark');
    await showWeek(page);
    assert.deepEqual((await sent(page)).filter((m) => (m as { type: string }).type === 'range'), [{ type: 'range', range: '7d' }]);
    assert.equal(await page.getByRole('button', { name: '7d', exact: true }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#range-calls').textContent(), `${formatCount(week.stats.totals.requests)} calls`);
    assert.equal(await page.locator('#range-spend').textContent(), formatMoney(week.stats.totals.costUsd, USD));
    assert.equal(await page.locator('#calls-chart canvas').count(), 1);
    // The spend is stacked by model, most expensive first, then the two latency lines.
    assert.deepEqual(await page.locator('#spend-chart .u-legend .u-label').allTextContents(), ['gpt-4o', 'gpt-4o-mini', 'p50', 'p90', 'TTFT p50 (streams)']);
    assert.deepEqual(await page.locator('#calls-chart .u-legend .u-label').allTextContents(), ['calls', 'errors', 'cache hits', '429s', 'fallbacks']);
    assert.equal(await page.locator('#empty').isVisible(), false, 'no getting-started text once there are calls');
    await page.screenshot({ path: join(mkdirSync(ARTIFACTS, { recursive: true }) ?? ARTIFACTS, 'panel-dark.png'), fullPage: true });
  });

  it('shows what deferred (batch) jobs cost and saved, as the stats endpoint gives them', async () => {
    const page = await openPanel('dark');
    await showWeek(page);
    const deferred = week.stats.deferred;
    assert.equal(deferred?.jobs, 3, 'the stats count the batch jobs');
    assert.ok(deferred.savedUsd > 0, 'batch discounts saved something');
    const line = `Deferred: 3 jobs cost ${formatMoney(deferred.costUsd, USD)}; batch discounts saved ${formatMoney(deferred.savedUsd, USD)}`;
    assert.ok((await page.locator('#savings li').allTextContents()).includes(line), line);
  });

  it('draws the monthly budget against its limit, with where the burn rate ends the month', async () => {
    const page = await openPanel('light');
    await showWeek(page);
    const budget = week.stats.budgets?.find((b) => b.scope === 'global' && b.period === 'month');
    assert.ok(budget, 'the stats give the monthly budget');
    const start = startOfLocalMonth(week.at);
    const end = ((d) => new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime())(new Date(week.at));
    const projected = budget.spentUsd + (budget.spentUsd / (week.at - start)) * (end - week.at);
    assert.equal(await page.locator('#budget-month').textContent(), `${formatMoney(budget.spentUsd, USD)} of ${formatMoney(1, USD)} spent; at this rate ${formatMoney(projected, USD)} by the end of the month`);
    assert.deepEqual(await page.locator('#budget-month-chart .u-legend .u-label').allTextContents(), ['spent', 'limit', 'at this rate']);
    assert.equal(await page.locator('#budget-month-chart canvas').count(), 1);
    assert.equal(await page.locator('#budget-day-chart').count(), 0, 'no daily limit, no daily chart');
  });

  it('lists the advice ranked, and a button asks the extension to apply that item', async () => {
    const page = await openPanel('light');
    await showWeek(page);
    const items = page.locator('#advice li.advice-item');
    assert.equal(await items.count(), week.advice.advice.length);
    assert.ok(week.advice.advice.length >= 5, 'the planted log yields advice');
    assert.deepEqual(await items.locator('.advice-head strong').allTextContents(), week.advice.advice.map((a) => a.title));
    const index = week.advice.advice.findIndex((a) => a.kind === 'duplicates');
    await items.nth(index).getByRole('button', { name: 'Turn on the cache' }).click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'applyAdvice', index });
    await page.screenshot({ path: join(ARTIFACTS, 'panel-light.png'), fullPage: true });
  });

  it('pages the range\'s calls, filters them, opens one, and exports what the filter picks', async () => {
    const page = await openPanel('dark');
    await showWeek(page);
    const callsAsked = async (): Promise<unknown[]> => (await sent(page)).filter((m) => (m as { type: string }).type === 'calls');
    assert.deepEqual(await callsAsked(), [{ type: 'calls', filter: {} }, { type: 'calls', filter: {} }], 'on load, and again for the picked range');
    const first = await h.admin.requests({ since: now - 7 * DAY_MS, until: now, limit: 50 });
    await post(page, { type: 'calls', page: { filter: {}, range: '7d', requests: first.requests, nextCursor: first.nextCursor, append: false } });
    const rows = page.locator('#recent li[data-id]');
    await page.waitForFunction('document.querySelectorAll("#recent li[data-id]").length === 50');
    assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-id'))), first.requests.map((r) => r.id));

    await page.locator('#older-calls').click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'calls', filter: {}, cursor: first.nextCursor });
    const older = await h.admin.requests({ since: now - 7 * DAY_MS, until: now, limit: 50, cursor: first.nextCursor! });
    await post(page, { type: 'calls', page: { filter: {}, range: '7d', requests: older.requests, nextCursor: older.nextCursor, append: true } });
    await page.waitForFunction('document.querySelectorAll("#recent li[data-id]").length === 100');

    await page.locator('#calls select[name=status]').selectOption('error');
    assert.deepEqual((await sent(page)).at(-1), { type: 'calls', filter: { status: 'error' } });
    await post(page, { type: 'calls', page: { filter: { status: 'error' }, range: '7d', requests: [], nextCursor: null, append: false } });
    await page.getByText('No calls match.').waitFor();
    assert.equal(await page.locator('#older-calls').isVisible(), false);

    await page.getByRole('button', { name: 'Export CSV' }).click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'exportCalls', filter: { status: 'error' }, format: 'csv' });
    await page.locator('#calls select[name=status]').selectOption('');
    await post(page, { type: 'calls', page: { filter: {}, range: '7d', requests: first.requests, nextCursor: first.nextCursor, append: false } });
    await rows.first().getByRole('button').click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'openCall', id: first.requests[0]!.id });
  });

  it('shows one call site\'s calls when a CodeLens asks, names the site, and a click on × shows every site again', async () => {
    const page = await openPanel('dark');
    await showWeek(page);
    const filter = { site: '0123456789abcdef,fedcba9876543210', siteLabel: 'review.ts:12' };
    await post(page, { type: 'filter', filter });
    await page.waitForFunction(`window.sent.some((m) => m.type === 'calls' && m.filter.site === '${filter.site}')`);
    assert.equal(await page.locator('#site-filter span').textContent(), 'Calls of review.ts:12');
    const some = await h.admin.requests({ since: now - 7 * DAY_MS, until: now, limit: 3 });
    await post(page, { type: 'calls', page: { filter, range: '7d', requests: some.requests, nextCursor: null, append: false } });
    await page.waitForFunction('document.querySelectorAll("#recent li[data-id]").length === 3');
    // Another filter keeps the site: the two narrow together.
    await page.locator('#calls select[name=status]').selectOption('ok');
    assert.deepEqual((await sent(page)).at(-1), { type: 'calls', filter: { status: 'ok', ...filter } });
    await page.getByRole('button', { name: 'Clear the call site filter' }).click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'calls', filter: { status: 'ok' } });
    assert.equal(await page.locator('#site-filter').isVisible(), false);
  });

  it('draws a range whose calls all fall in one hour as that hour, not as years around one bar', async () => {
    const page = await openPanel('dark');
    const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    const bucket = { ...week.stats.byBucket[0]!, start: hour };
    const stats = { ...week.stats, byBucket: [bucket], byBucketModel: [{ start: hour, model: 'gpt-4o-mini', provider: 'openai', costUsd: bucket.costUsd, requests: bucket.requests }] };
    await post(page, { type: 'range', data: { range: '24h', at: now, stats, series: { ...week.series, byBucket: [] }, advice: { ...week.advice, advice: [] } } });
    await page.locator('#spend-chart canvas').waitFor();
    // Where the bar's pixels are (uPlot draws on a canvas): the middle of the plot, not its left edge.
    const [first, last, width] = await columnsOfColour(page, '#spend-chart canvas', '#3794ff');
    assert.ok(first >= 0, 'the bar is drawn');
    const middle = (first + last) / 2 / width;
    assert.ok(middle > 0.3 && middle < 0.7, `the bar spans ${first}-${last} of ${width} px`);
    assert.ok(last - first > width / 10, `one bucket fills its share of the width: ${first}-${last} of ${width} px`);
  });

  it('redraws the charts in the new colours when the theme changes', async () => {
    const page = await openPanel('light');
    await showWeek(page);
    const [light, dark] = ['#1a85ff', '#3794ff']; // --vscode-charts-blue in Light Modern and Dark Modern
    const pixels = async (hex: string): Promise<number> => (await columnsOfColour(page, '#calls-chart canvas', hex))[3];
    assert.ok((await pixels(light)) > 100 * (await pixels(dark)), 'bars in the light blue');
    // What VS Code does on a theme change: new values for the variables, and the kind on the body's class.
    await page.evaluate(`document.querySelector('style').textContent = ${JSON.stringify(themeCss('dark'))}; document.body.className = 'vscode-dark';`);
    await page.waitForFunction(`!!document.querySelector('#calls-chart canvas')`);
    assert.ok((await pixels(dark)) > 100 * (await pixels(light)), `bars in the dark theme's blue: ${await pixels(dark)} pixels, ${await pixels(light)} in the light blue`);
  });

  it('shows no advice section when nothing applies, and what to do first when nothing was logged', async () => {
    const page = await openPanel('dark');
    await post(page, { type: 'gateway', gateway: { kind: 'up', url: h.gateway.url, version: 'test' } });
    const none = { ...snapshot, today: { ...snapshot.today, requests: 0 }, recent: [] };
    await post(page, { type: 'snapshot', snapshot: none, currency: USD });
    await post(page, { type: 'range', data: { range: '24h', at: now, stats: { ...week.stats, totals: { ...week.stats.totals, requests: 0 }, byBucket: [] }, series: { ...week.series, byBucket: [] }, advice: { ...week.advice, advice: [] } } });
    await page.locator('#empty').waitFor();
    assert.equal(await page.locator('#advice').isVisible(), false);
    assert.match((await page.locator('#empty').textContent()) ?? '', new RegExp(`OPENAI_BASE_URL=${h.gateway.url}/v1`));
    await page.getByRole('button', { name: 'Copy environment' }).click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'run', command: 'tollgate.copyEnvironment' });
    await page.screenshot({ path: join(ARTIFACTS, 'panel-empty-dark.png'), fullPage: true });
  });
});

/**
 * Where a colour (within a small tolerance) is drawn on a canvas: the first and last pixel columns
 * (-1 when nowhere), the canvas's width, and how many pixels.
 */
function columnsOfColour(page: Page, selector: string, hex: string): Promise<[number, number, number, number]> {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return page.evaluate<[number, number, number, number]>(`(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const [r, g, b] = ${JSON.stringify(rgb)};
    let first = -1, last = -1, count = 0;
    for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      if (data[i + 3] > 0 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12) {
        if (first < 0) first = x;
        last = x;
        count++;
      }
    }
    return [first, last, width, count];
  })()`);
}
