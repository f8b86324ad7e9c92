import * as vscode from 'vscode';
import { logWarnings } from '../daemon/gateway/api/log-health';
import { formatMoney } from '../webview/format';
import type { UsageSnapshot } from '../webview/messages';
import type { GatewayConnection, GatewayStatus } from './daemon';
import type { CurrencyFormat } from '../daemon/lsp/protocol';

/**
 * Today's spend and the gateway's health in one status bar item; a click opens the usage panel.
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
    this.item.text = `${logProblems.length ? '$(warning)' : '$(pulse)'} ${spend ?? '…'} today`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Tollgate** ${connection.api.baseUrl} (v${health.version})\n\n` +
        logProblems.map((problem) => `$(warning) ${problem}\n\n`).join('') +
        `Today: ${spend ?? '…'} over ${calls} call${calls === 1 ? '' : 's'}${logProblems.length ? ' (incomplete)' : ''}\n\nClick for the usage panel.`,
      true,
    );
    this.item.accessibilityInformation = { label: ['Tollgate', `${spend ?? '…'} today`, ...logProblems].join('. ') };
    this.item.backgroundColor = logProblems.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
