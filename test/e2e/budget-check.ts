import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { AdminClient } from '../../daemon/gateway/api/client';
import type { ConfigInput } from '../../daemon/gateway/config/schema';
import type { Sandbox } from './code-server';
import { callThroughGateway, gatewayState, todaysSpendUsd } from './gateway-call';
import { ARTIFACTS } from './tools';

/**
 * Budgets at a glance, in the real workbench: a daily budget is set in the gateway's config (as
 * "Tollgate: Set Budget" would), then calls are made as an application makes them. Past warnAt the
 * status bar item turns to the warning colour and names the budget; at the limit the gateway
 * refuses the next call (402), the item turns to the error colour, and a notification offers to
 * raise the budget. The budget is removed afterwards.
 */
export async function budgetCheck(page: Page, sandbox: Sandbox): Promise<string> {
  const state = gatewayState(sandbox);
  const admin = new AdminClient(state);
  const { config } = await admin.get<{ config: ConfigInput }>('/tollgate/v1/config');
  const setDaily = (dailyUsd: number): Promise<unknown> => admin.put('/tollgate/v1/config', { ...config, budgets: { dailyUsd, warnAt: 0.1, onLimit: 'block' } });
  const item = page.locator('.statusbar-item[aria-label^="Tollgate"]').first();
  const until = async (what: string, done: (label: string, classes: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const label = (await item.getAttribute('aria-label').catch(() => '')) ?? '';
      const classes = (await item.getAttribute('class').catch(() => '')) ?? '';
      if (done(label, classes)) return label;
      if (Date.now() > deadline) throw new Error(`status bar: timed out waiting until ${what}; label "${label}", classes "${classes}"`);
      await page.waitForTimeout(250);
    }
  };
  try {
    if ((await todaysSpendUsd(admin)) === 0 && (await callThroughGateway(state, 'A first call of the day.')) !== 200) throw new Error('the first call failed');
    // Room for several more calls, but past a 10 % warning from the start.
    await setDaily((await todaysSpendUsd(admin)) * 4);
    if ((await callThroughGateway(state, 'A call under the budget.')) !== 200) throw new Error('a call under the budget was refused');
    const warned = await until('it warns about the budget', (label, classes) => /budget warning/.test(label) && /\bwarning-kind\b/.test(classes));
    await page.screenshot({ path: join(ARTIFACTS, 'status-bar-budget-warning.png') });

    // Below what is already spent: the next call is refused.
    await setDaily((await todaysSpendUsd(admin)) / 2);
    const refused = await callThroughGateway(state, 'A call over the budget.');
    if (refused !== 402) throw new Error(`a call over the budget got ${refused}, not 402`);
    const reached = await until('it shows the budget reached', (label, classes) => /budget reached/.test(label) && /\berror-kind\b/.test(classes));
    const notification = await budgetNotification(page);
    const button = notification.locator('.monaco-button', { hasText: 'Raise Budget' });
    if ((await button.count()) === 0) throw new Error('the notification has no "Raise Budget" button');
    const message = ((await notification.locator('.notification-list-item-message').textContent()) ?? '').replace(/\u00a0/g, ' ');
    await page.screenshot({ path: join(ARTIFACTS, 'budget-notification.png') });
    return `"${warned}", then "${reached}"; notification "${message}"`;
  } finally {
    await admin.put('/tollgate/v1/config', config);
  }
}

/**
 * The budget notification: a toast, or (when the workbench keeps toasts back, e.g. without window
 * focus in a headless browser) an entry in the notification centre, opened with its status bar bell.
 */
async function budgetNotification(page: Page): Promise<Locator> {
  const reached = /daily budget of .* is reached/;
  const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: reached }).first();
  if (await toast.waitFor({ timeout: 10_000 }).then(() => true, () => false)) return toast;
  await page.keyboard.press('Escape');
  await page.locator('.statusbar-item[id="status.notifications"] a, .statusbar-item[id="status.notifications"]').first().click();
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: reached }).first();
  await listed.waitFor({ timeout: 20_000 });
  return listed;
}
