// The usage panel in the real workbench: its range figures against the stats endpoint, a live
// update after a call, a call's detail tab, and the panel in the light and dark themes.
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { AdminClient } from '../../daemon/gateway/api/client';
import { readState } from '../../daemon/gateway/state-file';
import type { Sandbox } from './code-server';
import { ARTIFACTS } from './tools';

const panelFrame = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

function admin(sandbox: Sandbox): AdminClient {
  const state = readState(sandbox.tollgateHome);
  if (!state) throw new Error('no daemon.json: the gateway is not running');
  return new AdminClient(state);
}

/** Polls until `read` returns what `expected` returns (both read afresh), or fails with both. */
async function until(page: Page, what: string, read: () => Promise<string>, expected: () => Promise<string>, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let [shown, wanted] = [await read(), await expected()];
  while (shown !== wanted) {
    if (Date.now() > deadline) throw new Error(`${what}: the panel shows "${shown}", the gateway says "${wanted}"`);
    await page.waitForTimeout(200);
    [shown, wanted] = [await read(), await expected()];
  }
  return shown;
}

/** The 24-hour totals in the panel equal GET /tollgate/v1/stats?since=24h, then follow a new call within seconds. */
export async function panelRangeMatchesStats(page: Page, sandbox: Sandbox): Promise<string> {
  const api = admin(sandbox);
  const panel = panelFrame(page);
  const calls = panel.locator('#range-calls');
  await calls.waitFor({ timeout: 30_000 });
  const statsCalls = async (): Promise<string> => `${(await api.stats({ since: '24h' })).totals.requests.toLocaleString('en-US')} calls`;
  const before = await until(page, 'calls in the last 24 h', async () => (await calls.textContent()) ?? '', statsCalls);

  const started = Date.now();
  const state = readState(sandbox.tollgateHome)!;
  const response = await fetch(`http://127.0.0.1:${state.port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-e2e-caller-own-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'A call the panel should count live.' }] }),
  });
  if (response.status !== 200) throw new Error(`the call through the gateway failed: ${response.status}`);
  const after = await until(page, 'calls after a live call', async () => (await calls.textContent()) ?? '', statsCalls, 5_000);
  if (after === before) throw new Error(`the panel still shows ${before} after a call`);
  return `${before} -> ${after} within ${Date.now() - started} ms, equal to the stats endpoint`;
}

/**
 * A click on a call site's CodeLens opens the panel on that site's calls: the panel names the
 * site and lists only calls the gateway logged, not all of them. The filter is cleared at the
 * end, so the checks after this one see every call.
 */
export async function codeLensFiltersPanel(page: Page, sandbox: Sandbox, suiteLens: string | undefined): Promise<string> {
  if (!suiteLens) throw new Error('the suite saw no measured-figures CodeLens');
  await page.locator('.codelens-decoration a', { hasText: suiteLens }).first().click();
  const panel = panelFrame(page);
  const chip = panel.locator('#site-filter span');
  await chip.waitFor({ timeout: 30_000 });
  const label = (await chip.textContent()) ?? '';
  if (!/^Calls of prompts\.ts:\d+$/.test(label)) throw new Error(`the panel names the site "${label}"`);
  const rows = panel.locator('#recent li[data-id]');
  await rows.first().waitFor({ timeout: 15_000 });
  const shown = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
  // What the gateway matches to every call with the fixture's system prompt: a superset of the site's calls.
  const all = new Set((await admin(sandbox).requests({ limit: 1000 })).requests.map((r) => r.id));
  if (shown.length === 0 || shown.length >= all.size || !shown.every((id) => id && all.has(id))) {
    throw new Error(`the panel lists ${shown.length} calls of the site, out of ${all.size} logged`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'panel-call-site.png') });
  await panel.getByRole('button', { name: 'Clear the call site filter' }).click();
  await panel.locator('#site-filter').waitFor({ state: 'hidden', timeout: 10_000 });
  return `"${label}": ${shown.length} of ${all.size} logged calls`;
}

/** A click on the newest call opens its detail in an editor tab. */
export async function callDetailOpens(page: Page, sandbox: Sandbox): Promise<string> {
  const newest = (await admin(sandbox).requests({ limit: 1 })).requests[0];
  if (!newest) throw new Error('no call logged');
  const row = panelFrame(page).locator(`#recent li[data-id="${newest.id}"] button`);
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  const tab = page.locator('.tabs-container .tab', { hasText: `${newest.id}.md` });
  await tab.waitFor({ timeout: 15_000 });
  const editor = page.locator('.editor-instance .view-lines').first();
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline && !text.includes('Attempts')) {
    text = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await page.waitForTimeout(200);
  }
  if (!text.includes(newest.id) || !text.includes('Attempts')) throw new Error(`the detail tab shows: ${JSON.stringify(text.slice(0, 300))}`);
  await page.screenshot({ path: join(ARTIFACTS, 'call-detail.png') });
  return `tab ${newest.id}.md with its attempts`;
}

/** The workbench and the panel in Dark Modern, then in Light Modern. */
export async function panelScreenshots(page: Page): Promise<string> {
  const body = panelFrame(page).locator('body');
  const themeOf = async (): Promise<string> => (await body.getAttribute('class', { timeout: 5_000 })) ?? '';
  const until = async (kind: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!(await themeOf()).split(/\s+/).includes(kind)) {
      if (Date.now() > deadline) throw new Error(`the panel's body is "${await themeOf()}", not ${kind}`);
      await page.waitForTimeout(250);
    }
  };
  for (const [theme, kind] of [['Dark Modern', 'dark'], ['Light Modern', 'light']] as const) {
    // As a user picks a theme: Ctrl+K Ctrl+T, its name, Enter.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(theme);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^\\s*${theme}`) }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await until(`vscode-${kind}`);
    await panelFrame(page).locator('header').scrollIntoViewIfNeeded();
    await page.mouse.move(700, 600);
    await page.waitForTimeout(1000); // the charts are redrawn in the new colours
    await page.screenshot({ path: join(ARTIFACTS, `usage-panel-${kind}.png`) });
  }
  return `usage-panel-dark.png, usage-panel-light.png (the panel's body: ${await themeOf()})`;
}
