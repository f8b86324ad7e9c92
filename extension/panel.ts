import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isWebviewMessage, type CallsFilter, type ExtensionToWebview, type GatewayView } from '../webview/messages';
import type { GatewayStatus } from './daemon';
import { log } from './log';
import type { CurrencyFormat } from '../daemon/lsp/protocol';
import type { UsageModel } from './usage';
import { RangeModel } from './range-model';
import { CALL_SCHEME, CallDocuments, exportCalls, callsQuery, openCall, readCallsPage } from './calls-actions';
import { RANGES } from '../webview/messages';

/** Commands an advice item may run from its button; an item naming another is shown without one. */
const ADVICE_COMMANDS: ReadonlySet<string> = new Set(['tollgate.toggleCache', 'tollgate.setRoutingStrategy', 'tollgate.addProviderKey', 'tollgate.setBudget']);

export const PANEL_VIEW_ID = 'tollgate.usage';

/**
 * The sidebar usage panel. Its HTML loads only dist/webview.{js,css} from the extension (strict
 * CSP with a per-load nonce, localResourceRoots limited to dist/), and everything it shows is
 * relayed from the extension over postMessage.
 */
export class UsagePanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private gateway: GatewayView = { kind: 'starting' };
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly range = new RangeModel();
  /** A filter asked for from outside the panel (a CodeLens click), until the webview has applied it. */
  private pendingFilter: CallsFilter | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly usage: UsageModel,
    private readonly currency: () => CurrencyFormat,
  ) {
    this.subscriptions.push(
      this.range,
      vscode.workspace.registerTextDocumentContentProvider(CALL_SCHEME, new CallDocuments(() => this.range.api)),
      // The usage model re-reads once live calls settle; the range's figures follow it.
      usage.onDidChange(() => {
        this.postSnapshot();
        if (this.view?.visible) this.range.scheduleRefresh(0);
      }),
      this.range.onDidChange((data) => this.post({ type: 'range', data })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = html(view.webview, dist);
    this.subscriptions.push(
      view.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        if (view.visible) {
          this.usage.scheduleRefresh(0);
          this.range.scheduleRefresh(0);
        }
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  setGatewayStatus(status: GatewayStatus): void {
    this.gateway =
      status.kind === 'up'
        ? { kind: 'up', url: status.connection.api.baseUrl, version: status.connection.health.version }
        : status.kind === 'down'
          ? { kind: 'down', message: status.message }
          : { kind: 'starting' };
    this.range.setGateway(status.kind === 'up' ? status.connection.api : undefined);
    this.post({ type: 'gateway', gateway: this.gateway });
  }

  /**
   * Shows the calls of a filter (one call site's, from its CodeLens). The view may be opening:
   * the filter is sent now and again when the webview says it is ready, until it asks for them.
   */
  showCalls(filter: CallsFilter): void {
    this.pendingFilter = filter;
    this.post({ type: 'filter', filter });
  }

  relayRequest(request: Extract<ExtensionToWebview, { type: 'request' }>['request']): void {
    this.post({ type: 'request', request });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      log.debug('usage panel: ignored a message of an unknown shape');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.post({ type: 'gateway', gateway: this.gateway });
        this.postSnapshot();
        if (this.range.data) this.post({ type: 'range', data: this.range.data });
        if (this.pendingFilter) this.post({ type: 'filter', filter: this.pendingFilter });
        this.usage.scheduleRefresh(0);
        break;
      case 'refresh':
        this.usage.scheduleRefresh(0);
        this.range.scheduleRefresh(0);
        break;
      case 'run':
        void vscode.commands.executeCommand(message.command);
        break;
      case 'range':
        this.range.setRange(message.range);
        break;
      case 'applyAdvice':
        this.applyAdvice(message.index);
        break;
      case 'calls':
        if (JSON.stringify(message.filter) === JSON.stringify(this.pendingFilter)) this.pendingFilter = undefined;
        void this.postCalls(message.filter, message.cursor);
        break;
      case 'openCall':
        void openCall(message.id).catch((error: unknown) => void vscode.window.showErrorMessage(`Tollgate: cannot open call ${message.id}: ${String(error)}`));
        break;
      case 'exportCalls': {
        const api = this.range.api;
        const now = Date.now();
        if (api) void exportCalls(api, callsQuery(message.filter, now - RANGES[this.range.current], now), message.format).catch((error: unknown) => void vscode.window.showErrorMessage(`Tollgate: export failed: ${String(error)}`));
        break;
      }
    }
  }

  /** Runs the command the gateway named for the advice the webview shows at `index`, then reads the figures again. */
  private applyAdvice(index: number): void {
    const action = this.range.data?.advice.advice[index]?.action;
    if (!action || !ADVICE_COMMANDS.has(action.command)) {
      log.debug(`usage panel: no advice to apply at ${index}`);
      return;
    }
    void Promise.resolve(vscode.commands.executeCommand(action.command, ...action.args)).then(
      () => this.range.scheduleRefresh(0),
      (error: unknown) => log.debug(`usage panel: ${action.command} failed: ${String(error)}`),
    );
  }

  private async postCalls(filter: Parameters<typeof readCallsPage>[1], cursor: number | undefined): Promise<void> {
    const api = this.range.api;
    if (api) this.post({ type: 'calls', page: await readCallsPage(api, filter, this.range.current, cursor) });
  }

  private postSnapshot(): void {
    const snapshot = this.usage.snapshot;
    if (snapshot) this.post({ type: 'snapshot', snapshot, currency: this.currency() });
  }

  private post(message: ExtensionToWebview): void {
    if (this.view) void this.view.webview.postMessage(message);
  }
}

function html(webview: vscode.Webview, dist: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link href="${style}" rel="stylesheet">
  <title>Tollgate usage</title>
</head>
<body>
  <main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
