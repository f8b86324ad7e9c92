import * as vscode from 'vscode';
import { formatMoney } from '../webview/format';
import type { UsageSnapshot } from '../webview/messages';
import type { GatewayStatus } from './daemon';
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
    switch (this.status.kind) {
      case 'starting':
        this.item.text = '$(sync~spin) Tollgate';
        this.item.tooltip = 'Tollgate: starting the gateway…';
        this.item.backgroundColor = undefined;
        break;
      case 'up': {
        const calls = this.snapshot?.today.requests ?? 0;
        this.item.text = `$(pulse) ${spend ?? '…'} today`;
        this.item.tooltip = new vscode.MarkdownString(
          `**Tollgate** ${this.status.connection.api.baseUrl} (v${this.status.connection.health.version})\n\n` +
            `Today: ${spend ?? '…'} over ${calls} call${calls === 1 ? '' : 's'}\n\nClick for the usage panel.`,
        );
        this.item.backgroundColor = undefined;
        break;
      }
      case 'down':
        this.item.text = '$(warning) Tollgate down';
        this.item.tooltip = `${this.status.message}\n\nClick for the usage panel; "Tollgate: Restart Gateway" starts it.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
