import * as vscode from 'vscode';
import { defaultDataDir } from '../daemon/gateway/state-file';
import { GatewaySupervisor, type GatewayStatus } from './daemon';
import { HintsClient } from './hints-client';
import { errorMessage, log } from './log';
import type { UsagePanel } from './panel';
import { Scope } from './scope';
import { ProviderKeys } from './secrets';
import type { ActivationTiming, Services } from './services';
import { startGatewaySession } from './session';
import { readSettings } from './settings';
import type { StatusBar } from './status-bar';
import type { UsageModel } from './usage';

export interface RuntimeParts {
  context: vscode.ExtensionContext;
  usage: UsageModel;
  statusBar: StatusBar;
  panel: UsagePanel;
  activation: ActivationTiming;
}

/**
 * The heavy half of the extension (zod, ws, the language client), loaded by main.ts after
 * activate() has returned: gateway supervision, provider keys and the hint server. Registers
 * its disposables in the extension's scope and the per-gateway scope.
 */
export function startRuntime({ context, usage, statusBar, panel, activation }: RuntimeParts): Services {
  const ext = context.subscriptions;
  const dist = (file: string): string => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  const dataDir = defaultDataDir();
  const supervisor = new GatewaySupervisor({ cliPath: dist('tollgate.js'), dataDir, settings: readSettings });
  const keys = new ProviderKeys(context.secrets);
  const hints = new HintsClient(dist('lsp.js'), readSettings);
  ext.push(supervisor, { dispose: () => void hints.dispose() });

  // The per-gateway scope: replaced whenever a different gateway connects.
  let session = new Scope();
  ext.push(
    { dispose: () => session.dispose() },
    supervisor.onDidConnect((connection) => {
      session.dispose();
      session = startGatewaySession(connection, { supervisor, keys, usage, panel, hints });
    }),
    supervisor.onDidChangeStatus((status: GatewayStatus) => {
      statusBar.setStatus(status);
      panel.setGatewayStatus(status);
      if (status.kind === 'down') {
        usage.setGateway(undefined);
        hints.setGateway(null);
      }
    }),
  );

  void supervisor.ensure().catch(showStartFailure);
  supervisor.startWatching();
  hints.startWhenNeeded();
  return {
    supervisor,
    keys,
    usage,
    panel,
    hints,
    dataDir,
    storagePaths: [context.globalStorageUri.fsPath, ...(context.storageUri ? [context.storageUri.fsPath] : []), context.logUri.fsPath],
    activation,
  };
}

function showStartFailure(error: unknown): void {
  const message = errorMessage(error);
  log.error(message);
  void vscode.window.showErrorMessage(message.split('\n')[0]!, 'Show Logs', 'Open Settings').then((choice) => {
    if (choice === 'Show Logs') log.show();
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'tollgate.daemon');
  });
}
