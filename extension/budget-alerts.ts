import * as vscode from 'vscode';
import type { BudgetStatusEntry } from '../daemon/gateway/api/contracts';
import { formatMoney } from '../webview/format';
import type { CurrencyFormat } from '../daemon/lsp/protocol';
import type { UsageSnapshot } from '../webview/messages';

/**
 * Budgets at a glance. The status bar shows spend against the nearest limit (the one most used),
 * and a limit that is reached says so once, as a notification with a button to raise it: before
 * this, a blocked call was a 402 in a tooltip, and spend passed a budget with no sign.
 */

/** The budget closest to its limit (spent and held by calls in flight, over the limit). */
export function nearestBudget(budgets: readonly BudgetStatusEntry[]): BudgetStatusEntry | undefined {
  let nearest: BudgetStatusEntry | undefined;
  for (const budget of budgets) if (!nearest || used(budget) > used(nearest)) nearest = budget;
  return nearest;
}

export function used(budget: BudgetStatusEntry): number {
  return budget.limitUsd > 0 ? (budget.spentUsd + budget.reservedUsd) / budget.limitUsd : 0;
}

/** "82 % of $0.05 daily" (and the alias, for an alias's own budget). */
export function budgetLabel(budget: BudgetStatusEntry, currency: CurrencyFormat): string {
  const scope = budget.scope === 'global' ? '' : ` for ${budget.scope}`;
  return `${Math.round(used(budget) * 100)} % of ${formatMoney(budget.limitUsd, currency)} ${budget.period === 'day' ? 'daily' : 'monthly'}${scope}`;
}

export const RAISE_BUDGET = 'Raise Budget';

/** Notifies once per limit and period when a limit is reached; forgets it when the limit is no longer reached (raised, or a new day). */
export class BudgetAlerts {
  private readonly alerted = new Set<string>();

  constructor(private readonly currency: () => CurrencyFormat) {}

  update(snapshot: UsageSnapshot): void {
    for (const budget of snapshot.budgets) {
      const key = `${budget.scope}/${budget.period}/${budget.limitUsd}`;
      if (!budget.exceeded) {
        this.alerted.delete(key);
        continue;
      }
      if (this.alerted.has(key)) continue;
      this.alerted.add(key);
      void vscode.window.showWarningMessage(this.message(budget), RAISE_BUDGET).then((choice) => {
        if (choice === RAISE_BUDGET) void vscode.commands.executeCommand('tollgate.setBudget');
      });
    }
  }

  private message(budget: BudgetStatusEntry): string {
    const currency = this.currency();
    const which = `${budget.period === 'day' ? 'daily' : 'monthly'} budget${budget.scope === 'global' ? '' : ` for "${budget.scope}"`}`;
    const consequence =
      budget.onLimit === 'downgrade' && budget.downgradeTo ? `calls are now served by ${budget.downgradeTo}` : `calls are now refused (402) until the next ${budget.period}`;
    return `Tollgate: the ${which} of ${formatMoney(budget.limitUsd, currency)} is reached (${formatMoney(budget.spentUsd + budget.reservedUsd, currency)}); ${consequence}.`;
  }
}
