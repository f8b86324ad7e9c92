import { CodeLensRefreshRequest, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { countTextTokens } from '../pricing/tokens';
import { DocumentStore, type AnalysedDocument } from './documents';
import { analyzeFile } from './features/analyze-file';
import { codeLenses } from './features/code-lens';
import { contextWindowDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { withMeasuredOutput } from './features/measured-output';
import { CallSiteFiguresCache } from './gateway/call-site-figures';
import { GatewayClient } from './gateway/gateway-client';
import { AnalyzeFileRequest, DEFAULT_SETTINGS, GatewayChangedNotification, RequestLoggedNotification, type HintSettings, type InitializationOptions } from './protocol';
import { parseSettings, settingsFromConfiguration } from './settings';

/**
 * Wires the LSP connection to the document store and the features. Every feature handler
 * degrades to "no hints" on failure: an estimate must never cost the user an error popup.
 */

/** New requests often arrive in bursts (a batch run): refresh the lenses once per burst. */
const REQUEST_LOGGED_DEBOUNCE_MS = 750;

export function startServer(connection: Connection): void {
  new HintServer(connection).listen();
}

class HintServer {
  private settings: HintSettings = structuredClone(DEFAULT_SETTINGS);
  /** The gateway's own price overrides; the editor's setting wins where both name a model. */
  private gatewayPricing: HintSettings['priceOverrides'] = {};
  /** Price-table ids of the providers the gateway can call; undefined until it has said. */
  private configuredProviders: ReadonlySet<string> | undefined;
  private settingsVersion = 0;
  private client: ClientCapabilities = {};
  private readonly gateway = new GatewayClient();
  private readonly figures = new CallSiteFiguresCache(this.gateway);
  /** The diagnostics last sent per document, so unchanged ones are not sent again on every keystroke. */
  private readonly published = new Map<string, string>();
  private readonly documents: DocumentStore;
  private requestLogged: NodeJS.Timeout | undefined;

  constructor(private readonly connection: Connection) {
    this.documents = new DocumentStore({
      settings: () => this.effectiveSettings(),
      settingsVersion: () => this.settingsVersion,
      onAnalysed: (uri, analysed) => this.publishDiagnostics(uri, analysed),
      onError: (message) => connection.console.error(message),
    });
  }

  listen(): void {
    this.connection.onInitialize((params) => this.initialize(params));
    // The tokenizer tables take a few hundred ms to load: do it now rather than on the first hint.
    this.connection.onInitialized(() => {
      setImmediate(() => countTextTokens('warm up', 'gpt-4o'));
      void this.refreshGatewayPricing();
    });
    this.registerDocuments();
    this.registerFeatures();
    this.registerTollgateMessages();
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.client = params.capabilities;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    this.settings = parseSettings(options.settings);
    this.gateway.setEndpoint(options.gateway ?? null);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        inlayHintProvider: { resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'tollgate-hints' },
    };
  }

  private registerDocuments(): void {
    const { connection, documents } = this;
    connection.onDidOpenTextDocument((params) => documents.open(params));
    connection.onDidChangeTextDocument((params) => documents.change(params));
    connection.onDidCloseTextDocument(({ textDocument }) => {
      documents.close(textDocument.uri);
      this.forgetDiagnostics(textDocument.uri);
    });
    connection.onDidChangeConfiguration(({ settings }) => {
      this.settings = settingsFromConfiguration(settings);
      this.settingsVersion++;
      documents.refreshAll();
      this.refreshClient({ hints: true, lenses: true });
    });
  }

  private registerFeatures(): void {
    const { connection, documents } = this;
    connection.languages.inlayHint.on(({ textDocument, range }) =>
      this.safely([], async () => {
        if (!this.settings.hints.inlayHints) return [];
        const analysed = await documents.analysed(textDocument.uri);
        if (!analysed) return [];
        const estimates = this.gateway.configured ? await withMeasuredOutput(analysed, (sites) => this.figures.lookup(sites), this.effectiveSettings().priceOverrides) : undefined;
        return inlayHints(analysed, range, this.settings.currency, estimates);
      }),
    );
    connection.onHover(({ textDocument, position }) =>
      this.safely(null, async () => {
        if (!this.settings.hints.hover) return null;
        const analysed = await documents.analysed(textDocument.uri);
        if (!analysed) return null;
        return hover(analysed, analysed.document.offsetAt(position), {
          settings: this.effectiveSettings(),
          configured: this.gateway.configured ? this.configuredProviders : undefined,
          route: (model) => this.gateway.route(model),
        });
      }),
    );
    connection.onCodeLens(({ textDocument }) =>
      this.safely([], async () => {
        if (!this.settings.hints.codeLens || !this.gateway.configured) return [];
        const analysed = await documents.analysed(textDocument.uri);
        return analysed ? codeLenses(analysed, (sites) => this.figures.lookup(sites), this.settings.currency) : [];
      }),
    );
    connection.onRequest(AnalyzeFileRequest.type, (params) => analyzeFile(params, documents, this.settings.currency, (uri) => this.forgetDiagnostics(uri)));
  }

  private registerTollgateMessages(): void {
    this.connection.onNotification(GatewayChangedNotification.type, ({ gateway }) => {
      this.gateway.setEndpoint(gateway);
      this.figures.invalidate();
      this.refreshClient({ hints: false, lenses: true });
      void this.refreshGatewayPricing();
    });
    this.connection.onNotification(RequestLoggedNotification.type, () => {
      this.requestLogged ??= setTimeout(() => {
        this.requestLogged = undefined;
        this.figures.invalidate();
        // Hints too: a call without max_tokens is estimated with its site's measured replies.
        this.refreshClient({ hints: true, lenses: true });
        void this.refreshGatewayPricing();
      }, REQUEST_LOGGED_DEBOUNCE_MS);
    });
  }

  private effectiveSettings(): HintSettings {
    if (Object.keys(this.gatewayPricing).length === 0) return this.settings;
    return { ...this.settings, priceOverrides: { ...this.gatewayPricing, ...this.settings.priceOverrides } };
  }

  /** Re-prices every document when the gateway's overrides changed (checked on connect and after calls). */
  private async refreshGatewayPricing(): Promise<void> {
    const facts = await this.gateway.configFacts();
    if (!facts) return;
    this.configuredProviders = facts.providers;
    const pricing = facts.pricing;
    if (JSON.stringify(pricing) === JSON.stringify(this.gatewayPricing)) return;
    this.gatewayPricing = pricing;
    this.settingsVersion++;
    this.documents.refreshAll();
    this.refreshClient({ hints: true, lenses: false });
  }

  private publishDiagnostics(uri: string, analysed: AnalysedDocument | undefined): void {
    const diagnostics = analysed && this.settings.hints.diagnostics ? contextWindowDiagnostics(analysed) : [];
    const key = JSON.stringify(diagnostics);
    if ((this.published.get(uri) ?? '[]') === key) return;
    this.published.set(uri, key);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  private forgetDiagnostics(uri: string): void {
    this.publishDiagnostics(uri, undefined);
    this.published.delete(uri);
  }

  private refreshClient(what: { hints: boolean; lenses: boolean }): void {
    const workspace = this.client.workspace;
    if (what.hints && workspace?.inlayHint?.refreshSupport) void this.connection.languages.inlayHint.refresh().catch(() => undefined);
    if (what.lenses && workspace?.codeLens?.refreshSupport) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private async safely<T>(fallback: T, handler: () => Promise<T>): Promise<T> {
    try {
      return await handler();
    } catch (error) {
      this.connection.console.error(`hint request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }
}
