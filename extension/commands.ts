import * as vscode from 'vscode';
import type { Shell } from '../daemon/gateway/cli/env';
import { Cancelled } from './config-edit';
import { addProviderKey, removeProviderKey } from './key-commands';
import { errorMessage, log } from './log';
import { PANEL_VIEW_ID } from './panel';
import { clearCache, editRoutingRules, setBudget, setRoutingStrategy, toggleCache } from './routing-commands';
import type { Services } from './services';
import type { CallSiteLensArgs } from '../daemon/lsp/protocol';
import { callSiteFilter } from './call-site-filter';

type Command = (services: Services, ...args: never[]) => unknown;

/**
 * Every command, registered at activation (so each one works, or says why not, from the first
 * moment). Titles and the "Tollgate" category are in package.json contributes.commands.
 */
const COMMANDS: Record<string, Command> = {
  'tollgate.setRoutingStrategy': setRoutingStrategy,
  'tollgate.editRoutingRules': editRoutingRules,
  'tollgate.addProviderKey': addProviderKey,
  'tollgate.removeProviderKey': removeProviderKey,
  'tollgate.setBudget': setBudget,
  'tollgate.toggleCache': toggleCache,
  'tollgate.clearCache': clearCache,
  'tollgate.copyEnvironment': copyEnvironment,
  'tollgate.restartGateway': restartGateway,
  'tollgate.showLogs': () => log.show(),
  'tollgate.openPanel': openPanel,
  /** Run by the hint server's measured-figures CodeLens (daemon/lsp/protocol.ts CALL_SITE_COMMAND). */
  'tollgate.showCallSite': showCallSite,
  /** Not in the palette: state for tests and the activation benchmark. */
  'tollgate.internal.status': status,
};

/** Registered during activate; each waits for the runtime (loaded just after) before it runs. */
export function registerCommands(services: () => Promise<Services>): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, command]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await command(await services(), ...args);
      } catch (error) {
        if (error instanceof Cancelled) return undefined;
        log.error(`${id}: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`Tollgate: ${errorMessage(error)}`);
        // Rethrown so that a caller of executeCommand (a test, another extension) sees the failure.
        throw error;
      }
    }),
  );
}

/** Tollgate: Copy Environment for Terminal: the `tollgate env` lines, on the clipboard. */
async function copyEnvironment(services: Services, shell?: Shell): Promise<string> {
  const { state } = await services.supervisor.ensure();
  const { envLines, detectShell } = await import('../daemon/gateway/cli/env');
  const text = envLines(shell ?? detectShell(process.env), state.port, state.token).join('\n');
  try {
    await vscode.env.clipboard.writeText(text);
  } catch (error) {
    log.warn(`clipboard not written: ${errorMessage(error)}`);
  }
  void vscode.window.showInformationMessage('Tollgate: environment copied. Paste it into a terminal: SDKs there will call through the gateway.');
  return text;
}

async function restartGateway(services: Services): Promise<number> {
  const { state } = await services.supervisor.restart();
  void vscode.window.showInformationMessage(`Tollgate: gateway restarted (pid ${state.pid}).`);
  return state.pid;
}

async function openPanel(): Promise<void> {
  await vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`);
}

/**
 * Opens the panel on the calls of one call site: by its tag when the code tags its calls, else
 * by the message hashes of its prompt (the same link its CodeLens figures were read by).
 */
async function showCallSite(services: Services, args?: CallSiteLensArgs): Promise<void> {
  await openPanel();
  const filter = args && callSiteFilter(args);
  if (filter) services.panel.showCalls(filter);
}


function status(services: Services): unknown {
  const gateway = services.supervisor.currentStatus;
  return {
    activation: services.activation,
    dataDir: services.dataDir,
    storagePaths: services.storagePaths,
    gateway: gateway.kind === 'up' ? { kind: 'up', port: gateway.connection.state.port, pid: gateway.connection.state.pid } : gateway,
    hints: services.hints.state,
    usage: services.usage.snapshot ? { todayUsd: services.usage.snapshot.today.costUsd, requests: services.usage.snapshot.today.requests } : null,
  };
}
