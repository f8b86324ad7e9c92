import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type {
  LanguageClient,
  CloseHandlerResult,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import {
  CONFIGURATION_SECTION,
  GatewayChangedNotification,
  RequestLoggedNotification,
  type GatewayEndpoint,
  type InitializationOptions,
} from '../daemon/lsp/protocol';
import { errorMessage, log } from './log';
import type { Settings } from './settings';

/**
 * The language client is loaded when the server starts, not when the extension does: it is a
 * large module, and many windows never open a file the hint server reads.
 */
type Lsp = typeof import('vscode-languageclient/node');

/** Documents the hint server reads: code that calls LLM SDKs, and prompt files. */
export const HINT_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'] as const;
const PROMPT_FILES = '**/*.{prompt,prompty,md}';

export type HintsState = 'idle' | 'missing' | 'starting' | 'running' | 'stopped' | 'failed';

/**
 * All launch policy in one place. The hint server is pure JS/WASM, so it runs on the editor's own
 * runtime (forked by vscode-languageclient, which adds --stdio), unlike the gateway. `debug` is
 * used when the extension runs under the debugger.
 */
export function createServerOptions(lsp: Lsp, serverModule: string): ServerOptions {
  const { TransportKind } = lsp;
  return {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
}

/**
 * Restarts a crashed server, but not forever: past RESTARTS in WINDOW_MS it stays down and says
 * so (a server that crashes on every start would otherwise flap and flood the log).
 */
class RestartPolicy implements ErrorHandler {
  private static readonly RESTARTS = 4;
  private static readonly WINDOW_MS = 3 * 60_000;
  private readonly restarts: number[] = [];

  constructor(
    private readonly lsp: Lsp,
    private readonly onGiveUp: () => void,
  ) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    const { ErrorAction } = this.lsp;
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const { CloseAction } = this.lsp;
    const now = Date.now();
    while (this.restarts.length > 0 && now - this.restarts[0]! > RestartPolicy.WINDOW_MS) this.restarts.shift();
    if (this.restarts.length >= RestartPolicy.RESTARTS) {
      this.onGiveUp();
      return { action: CloseAction.DoNotRestart, message: 'The Tollgate hint server stopped several times in a row and was left stopped. See the "Tollgate Hints" output.' };
    }
    this.restarts.push(now);
    log.warn('the hint server stopped; restarting it');
    return { action: CloseAction.Restart };
  }
}

/**
 * The language client for the hint server (dist/lsp.js). Started lazily, when the first document
 * it can read is open; told about the gateway (tollgate/gatewayChanged) and about each logged
 * call (tollgate/requestLogged) so that its CodeLens shows measured figures.
 */
export class HintsClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private gateway: GatewayEndpoint | null = null;
  private stateValue: HintsState = 'idle';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly serverModule: string,
    private readonly settings: () => Settings,
  ) {}

  get state(): HintsState {
    return this.stateValue;
  }

  /** Starts now if a relevant document is open, else on the first one that opens. */
  startWhenNeeded(): void {
    if (vscode.workspace.textDocuments.some(isHintDocument)) {
      void this.start();
      return;
    }
    const listener = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!isHintDocument(document)) return;
      listener.dispose();
      void this.start();
    });
    this.subscriptions.push(listener);
  }

  async start(): Promise<void> {
    if (this.stateValue !== 'idle') return;
    if (!existsSync(this.serverModule)) {
      this.stateValue = 'missing';
      log.warn(`no hint server at ${this.serverModule}: inline cost hints are off (run "npm run build")`);
      return;
    }
    this.stateValue = 'starting';
    try {
      const lsp = await import('vscode-languageclient/node');
      const client = new lsp.LanguageClient('tollgate.hints', 'Tollgate Hints', createServerOptions(lsp, this.serverModule), this.clientOptions(lsp));
      this.client = client;
      await client.start();
      this.stateValue = 'running';
      log.info('hint server started');
      // The gateway may have connected while the server was starting, after its initializationOptions were read.
      if (this.gateway) this.setGateway(this.gateway);
    } catch (error) {
      this.stateValue = 'failed';
      log.error(`the hint server did not start: ${errorMessage(error)}`);
    }
  }

  /** The gateway this window uses changed (null: none). Sent now, and on every (re)start. */
  setGateway(gateway: GatewayEndpoint | null): void {
    this.gateway = gateway;
    if (this.client?.isRunning()) void this.client.sendNotification(GatewayChangedNotification.type, { gateway }).catch(() => undefined);
  }

  requestLogged(count = 1): void {
    if (this.client?.isRunning()) void this.client.sendNotification(RequestLoggedNotification.type, { count }).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.dispose();
    const client = this.client;
    this.client = undefined;
    this.stateValue = 'stopped';
    if (client) await client.dispose(2_000).catch(() => undefined);
  }

  private clientOptions(lsp: Lsp): LanguageClientOptions {
    return {
      documentSelector: [
        ...HINT_LANGUAGES.flatMap((language) => [
          { scheme: 'file', language },
          { scheme: 'untitled', language },
        ]),
        { scheme: 'file', pattern: PROMPT_FILES },
      ],
      // A function, so that a restarted server gets the current gateway and settings.
      initializationOptions: (): InitializationOptions => ({ settings: this.settings().hints, gateway: this.gateway }),
      synchronize: { configurationSection: CONFIGURATION_SECTION },
      errorHandler: new RestartPolicy(lsp, () => {
        this.stateValue = 'failed';
      }),
    };
  }
}

function isHintDocument(document: vscode.TextDocument): boolean {
  return (HINT_LANGUAGES as readonly string[]).includes(document.languageId) || /\.(prompt|prompty)$/.test(document.uri.path);
}
