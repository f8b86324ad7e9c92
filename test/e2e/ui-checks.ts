// Checks in the real workbench DOM, as a user would see it: the inlay hint text in the editor,
// the CodeLens text, and the usage panel (a webview) updating after a call through the gateway.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FrameLocator, Page } from 'playwright-core';
import { AdminClient } from '../../daemon/gateway/api/client';
import { budgetCheck } from './budget-check';
import type { CodeServer, Sandbox } from './code-server';
import { callThroughGateway, gatewayState, todaysSpend } from './gateway-call';
import { hintsInView } from './placement-check';
import { callDetailOpens, codeLensFiltersPanel, panelRangeMatchesStats, panelScreenshots } from './panel-checks';
import { ARTIFACTS, ROOT } from './tools';
import { remoteUri, waitForWorkbench, workbenchUrl } from './workbench';

export type CheckOutcome = 'passed' | 'failed' | 'skipped';
export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  detail: string;
}

export interface UiContext {
  page: Page;
  server: CodeServer;
  sandbox: Sandbox;
  /** Hint labels the extension-host suite read through the API (undefined: no hint server yet). */
  suiteHints: string[] | undefined;
  /** The measured-figures CodeLens title the suite read, if any. */
  suiteLens: string | undefined;
}

class Skip extends Error {}

export async function runUiChecks(ctx: UiContext, report: (result: CheckResult) => void): Promise<CheckResult[]> {
  const { page, server, sandbox } = ctx;
  const fixture = join(sandbox.workspace, 'prompts.ts');
  const opening = Date.now();
  // A fresh window with the extension from source (no tests this time) and the fixture open.
  await page.goto(
    workbenchUrl(server, sandbox.workspace, [
      ['extensionDevelopmentPath', remoteUri(server, ROOT)],
      ['openFile', remoteUri(server, fixture)],
    ]),
  );
  await waitForWorkbench(page);
  await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 30_000 });
  console.log(`  (window with the fixture open in ${Date.now() - opening} ms)`);

  const results: CheckResult[] = [];
  const check = async (name: string, body: () => Promise<string>): Promise<void> => {
    let result: CheckResult;
    const started = Date.now();
    try {
      result = { name, outcome: 'passed', detail: `${await body()} (${Date.now() - started} ms)` };
    } catch (error) {
      const skipped = error instanceof Skip;
      result = { name, outcome: skipped ? 'skipped' : 'failed', detail: (error as Error).message };
      if (!skipped) await page.screenshot({ path: join(ARTIFACTS, `failed-${slug(name)}.png`) }).catch(() => undefined);
    }
    results.push(result);
    report(result);
  };

  await check('inlay hint text is in the editor DOM', () => inlayHintsInDom(page, ctx.suiteHints));
  await check('CodeLens text is in the editor DOM', () => codeLensInDom(page, ctx.suiteLens));
  // Before the panel checks, which open a call's detail tab over the fixture's editor.
  await check('every hint, the long-line prompt\'s too, is inside the visible editor area', () => hintsInView(page, ctx.suiteHints));
  await check("a click on a call site's CodeLens opens the panel on that site's calls", () => codeLensFiltersPanel(page, sandbox, ctx.suiteLens));
  await check("usage panel and status bar show today's spend after a call through the gateway", () => panelShowsSpend(page, sandbox));
  await check("usage panel's 24-hour figures equal the stats endpoint's and follow a call live", () => panelRangeMatchesStats(page, sandbox));
  await check("a click on a call opens its detail in an editor tab", () => callDetailOpens(page, sandbox));
  await check('status bar warns while the request log cannot be written, and clears once it can', () => statusBarShowsLogWarning(page, sandbox));
  await check('status bar turns to warning past warnAt, to error at the limit, and a blocked call raises a notification', () => budgetCheck(page, sandbox));
  // Last: it leaves the window in the light theme.
  await check('usage panel in the dark and light themes', () => panelScreenshots(page));
  return results;
}

/** Editor text with inlay hints in it; the DOM uses U+00A0 for spaces. */
async function editorText(page: Page): Promise<string> {
  return ((await page.locator('.editor-instance .view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
}

async function inlayHintsInDom(page: Page, suiteHints: string[] | undefined): Promise<string> {
  if (!suiteHints) throw new Skip('the hint server (dist/lsp.js) is not built yet');
  // The hint server starts afresh in this window: 10-30 s here on two cores shared with other work.
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page);
    if (suiteHints.every((label) => text.includes(label.trim()))) break;
    await page.waitForTimeout(200);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'editor-hints.png') });
  const missing = suiteHints.filter((label) => !text.includes(label.trim()));
  if (missing.length > 0) throw new Error(`not in the editor: ${JSON.stringify(missing)}; editor text: ${JSON.stringify(text.slice(0, 600))}`);
  return `shown: ${suiteHints.join(' | ')}`;
}

async function codeLensInDom(page: Page, suiteLens: string | undefined): Promise<string> {
  if (!suiteLens) throw new Skip('the suite saw no measured-figures CodeLens (no hint server yet)');
  const lenses = page.locator('.codelens-decoration');
  let texts: string[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    texts = (await lenses.allTextContents()).map((t) => t.replace(/\u00a0/g, ' ').trim()).filter(Boolean);
    if (texts.some((t) => t.includes(suiteLens))) return `shown: ${texts.join(' | ')}`;
    await page.waitForTimeout(200);
  }
  throw new Error(`CodeLens "${suiteLens}" not in the editor; lenses there: ${JSON.stringify(texts)}`);
}

async function panelShowsSpend(page: Page, sandbox: Sandbox): Promise<string> {
  const panel: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  // The Tollgate icon toggles its sidebar: click it only when the panel is not already open (a CodeLens click opens it).
  if (!(await panel.locator('#today-spend').isVisible().catch(() => false))) await page.locator('.activitybar .action-item [aria-label^="Tollgate"]').first().click();
  const spend = panel.locator('#today-spend');
  await spend.waitFor({ timeout: 30_000 });
  const state = gatewayState(sandbox);
  const before = await todaysSpend(new AdminClient(state));
  const status = await callThroughGateway(state, 'A call for the usage panel.');
  if (status !== 200) throw new Error(`the call through the gateway failed: ${status}`);

  const admin = new AdminClient(state);
  let expected = before;
  const deadline = Date.now() + 20_000;
  let shown = '';
  let bar = '';
  while (Date.now() < deadline) {
    expected = await todaysSpend(admin);
    shown = (await spend.textContent()) ?? '';
    bar = (await page.locator('.statusbar-item').filter({ hasText: 'today' }).first().textContent().catch(() => '')) ?? '';
    const recent = (await panel.locator('#recent').textContent()) ?? '';
    if (expected !== before && shown === expected && bar.includes(expected) && recent.includes('gpt-4o-mini')) break;
    await page.waitForTimeout(200);
  }
  await page.mouse.move(700, 600);
  await page.waitForTimeout(600); // the activity bar's hover tooltip fades
  await page.screenshot({ path: join(ARTIFACTS, 'usage-panel.png') });
  if (expected === before) throw new Error(`the gateway's spend for today did not change (${before})`);
  if (shown !== expected) throw new Error(`panel shows "${shown}", the gateway says ${expected}`);
  if (!bar.includes(expected)) throw new Error(`status bar shows "${bar}", the gateway says ${expected}`);
  return `spend ${before} -> ${expected} (panel and status bar)`;
}

/**
 * Another program holds the database's write lock (a database browser mid-edit, a backup): the
 * gateway keeps answering, holds the calls, and the status bar says so until the lock is gone.
 */
async function statusBarShowsLogWarning(page: Page, sandbox: Sandbox): Promise<string> {
  const state = gatewayState(sandbox);
  const item = page.locator('.statusbar-item[aria-label^="Tollgate"]').first();
  const label = async (): Promise<string> => (await item.getAttribute('aria-label').catch(() => '')) ?? '';
  const until = async (what: string, done: (text: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 40_000;
    let text = await label();
    while (!done(text)) {
      if (Date.now() > deadline) throw new Error(`status bar: timed out waiting until ${what}; its label is "${text}"`);
      await page.waitForTimeout(250);
      text = await label();
    }
    return text;
  };
  const lock = new Database(join(sandbox.tollgateHome, 'tollgate.db'));
  let warned: string;
  try {
    lock.exec('BEGIN IMMEDIATE');
    const status = await callThroughGateway(state, 'A call while the log is locked.');
    if (status !== 200) throw new Error(`the call through the gateway failed: ${status}`);
    warned = await until('it warns about the log', (text) => /request log: cannot write .*locked by another process/.test(text));
    await page.screenshot({ path: join(ARTIFACTS, 'status-bar-log-warning.png') });
  } finally {
    lock.exec('ROLLBACK');
    lock.close();
  }
  await until('the warning clears', (text) => text !== '' && !text.includes('request log'));
  return `"${warned}", then cleared`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);
}
