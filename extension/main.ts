import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createLog, errorMessage, log } from './log';
import { PANEL_VIEW_ID, UsagePanel } from './panel';
import type { ActivationTiming, Services } from './services';
import { readSettings, REQUIRES_GATEWAY_RESTART } from './settings';
import { BudgetAlerts } from './budget-alerts';
import { StatusBar } from './status-bar';
import { UsageModel } from './usage';

let runtime: Promise<Services> | undefined;

/**
 * Thin on purpose: registers what must exist from the first moment (every command, the status
 * bar, the usage view) and returns. The heavy half (runtime.ts: gateway supervision, the hint
 * server, zod, ws, the language client) loads right after, so it never holds up the window;
 * commands wait for it. VS Code does not show activation failures to the user, so this does.
 */
export function activate(context: vscode.ExtensionContext): void {
  const activation: ActivationTiming = { startedAt: Date.now() };
  const ext = context.subscriptions;
  ext.push(createLog());
  try {
    const currency = () => readSettings().currency;
    const usage = new UsageModel();
    const statusBar = new StatusBar(currency);
    const budgetAlerts = new BudgetAlerts(currency);
    const panel = new UsagePanel(context.extensionUri, usage, currency);
    ext.push(usage, statusBar, panel, vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel));
    ext.push(
      usage.onDidChange((snapshot) => {
        statusBar.setUsage(snapshot);
        budgetAlerts.update(snapshot);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => onSettingsChanged(event, statusBar, usage)),
    );
    const loading = import('./runtime').then(({ startRuntime }) => startRuntime({ context, usage, statusBar, panel, activation }));
    runtime = loading;
    ext.push(...registerCommands(() => loading));
    loading.catch(showActivationFailure);
  } catch (error) {
    showActivationFailure(error);
    throw error;
  }
  activation.activatedAt = Date.now();
  log.info(`activated in ${activation.activatedAt - activation.startedAt} ms (at ${activation.activatedAt})`);
}

/** Stops the hint server cleanly; the gateway keeps running for other windows and terminals. */
export async function deactivate(): Promise<void> {
  const services = await runtime?.catch(() => undefined);
  await services?.hints.dispose();
}

function onSettingsChanged(event: vscode.ConfigurationChangeEvent, statusBar: StatusBar, usage: UsageModel): void {
  if (event.affectsConfiguration('tollgate.currency')) {
    statusBar.render();
    usage.scheduleRefresh(0);
  }
  if (REQUIRES_GATEWAY_RESTART.some((setting) => event.affectsConfiguration(setting))) {
    void vscode.window.showInformationMessage('Tollgate: the gateway uses the new setting once it is restarted.', 'Restart Gateway').then((choice) => {
      if (choice) void vscode.commands.executeCommand('tollgate.restartGateway');
    });
  }
}

function showActivationFailure(error: unknown): void {
  log.error(`activation failed: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`Tollgate failed to activate: ${errorMessage(error)}`, 'Show Logs').then((choice) => {
    if (choice) log.show();
  });
}
