import * as vscode from 'vscode';
import { logWarnings } from '../daemon/gateway/api/log-health';
import { formatMoney } from '../webview/format';
import type { UsageSnapshot } from '../webview/messages';
import type { GatewayConnection, GatewayStatus } from './daemon';
import type { CurrencyFormat } from '../daemon/lsp/protocol';
import { budgetLabel, nearestBudget } from './budget-alerts';

/**
 * Today's spend, the nearest budget and the gateway's health in one status bar item; a click
 * opens the usage panel. The item turns to the warning colour past a budget's warnAt and to the
 * error colour at its limit.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tollgate.status', vscode.StatusBarAlignment.Right, 100);
  private status: GatewayStatus = { kind: 'starting' };
  private snapshot: UsageSnapshot | undefined;

  constructor(private readonly currency: () => CurrencyFormat) {
    this.item.name = 'Tollgate';
    this.item.command = 'tollgate.openPanel';
    this.render();
    this.item.show();
  }

  setStatus(status: GatewayStatus): void {
    this.status = status;
    this.render();
  }

  setUsage(snapshot: UsageSnapshot): void {
    this.snapshot = snapshot;
    this.render();
  }

  render(): void {
    const spend = this.snapshot ? formatMoney(this.snapshot.today.costUsd, this.currency()) : undefined;
    this.item.accessibilityInformation = undefined;
    switch (this.status.kind) {
      case 'starting':
        this.item.text = '$(sync~spin) Tollgate';
        this.item.tooltip = 'Tollgate: starting the gateway…';
        this.item.backgroundColor = undefined;
        break;
      case 'up':
        this.renderUp(this.status.connection, spend);
        break;
      case 'down':
        this.item.text = '$(warning) Tollgate down';
        this.item.tooltip = `${this.status.message}\n\nClick for the usage panel; "Tollgate: Restart Gateway" starts it.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
  }

  /** Today's spend; a warning instead of the pulse while the request log cannot be written or has lost calls. */
  private renderUp(connection: GatewayConnection, spend: string | undefined): void {
    const calls = this.snapshot?.today.requests ?? 0;
    const { health } = connection;
    // Today's figure is then short of the truth: say so where the figure is. (A daemon older than
    // this extension reports no log state.)
    const logProblems = health.log ? logWarnings(health.log) : [];
    const budgets = this.snapshot?.budgets ?? [];
    const nearest = nearestBudget(budgets);
    const budget = nearest ? budgetLabel(nearest, this.currency()) : undefined;
    const level = nearest?.exceeded ? 'error' : nearest?.warning || logProblems.length ? 'warning' : undefined;
    this.item.text = `${logProblems.length || level ? '$(warning)' : '$(pulse)'} ${spend ?? '…'} today${budget ? ` · ${budget}` : ''}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Tollgate** ${connection.api.baseUrl} (v${health.version})\n\n` +
        logProblems.map((problem) => `$(warning) ${problem}\n\n`).join('') +
        `Today: ${spend ?? '…'} over ${calls} call${calls === 1 ? '' : 's'}${logProblems.length ? ' (incomplete)' : ''}\n\n` +
        budgets.map((entry) => `Budget: ${budgetLabel(entry, this.currency())}${entry.exceeded ? ' (reached)' : entry.warning ? ' (warning)' : ''}\n\n`).join('') +
        'Click for the usage panel.',
      true,
    );
    const budgetState = nearest?.exceeded ? 'budget reached' : nearest?.warning ? 'budget warning' : undefined;
    this.item.accessibilityInformation = { label: ['Tollgate', `${spend ?? '…'} today`, ...(budget ? [budget] : []), ...(budgetState ? [budgetState] : []), ...logProblems].join('. ') };
    this.item.backgroundColor = level ? new vscode.ThemeColor(`statusBarItem.${level}Background`) : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
