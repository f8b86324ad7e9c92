import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { countTextTokens } from '../pricing/tokens';
import { DocumentStore, type AnalysedDocument } from './documents';
import { codeLenses } from './features/code-lens';
import { contextWindowDiagnostics } from './features/diagnostics';
import { hintLabel } from './features/format';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { CallSiteFiguresCache } from './gateway/call-site-figures';
import { GatewayClient } from './gateway/gateway-client';
import {
  AnalyzeFileRequest,
  DEFAULT_SETTINGS,
  GatewayChangedNotification,
  RequestLoggedNotification,
  type AnalyzeFileParams,
  type AnalyzeFileResult,
  type HintSettings,
  type InitializationOptions,
} from './protocol';
import { parseSettings, settingsFromConfiguration } from './settings';

/**
 * Wires the LSP connection to the document store and the features. Every handler degrades to
 * "no hints" on failure: the server must never take the editor's attention for an estimate.
 */

/** New requests often arrive in bursts (a batch run): refresh the lenses once per burst. */
const REQUEST_LOGGED_DEBOUNCE_MS = 750;

export function startServer(connection: Connection): void {
  let settings: HintSettings = structuredClone(DEFAULT_SETTINGS);
  let settingsVersion = 0;
  let client: ClientCapabilities = {};
  const gateway = new GatewayClient();
  const figures = new CallSiteFiguresCache(gateway);
  const published = new Map<string, string>();

  const publishDiagnostics = (uri: string, analysed: AnalysedDocument | undefined): void => {
    const diagnostics = analysed && settings.hints.diagnostics ? contextWindowDiagnostics(analysed) : [];
    const key = JSON.stringify(diagnostics);
    if ((published.get(uri) ?? '[]') === key) return;
    published.set(uri, key);
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  const documents = new DocumentStore({
    settings: () => settings,
    settingsVersion: () => settingsVersion,
    onAnalysed: publishDiagnostics,
    onError: (message) => connection.console.error(message),
  });

  const refreshClient = (what: { hints: boolean; lenses: boolean }): void => {
    if (what.hints && client.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (what.lenses && client.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };

  connection.onInitialize((params): InitializeResult => {
    client = params.capabilities;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    settings = parseSettings(options.settings);
    gateway.setEndpoint(options.gateway ?? null);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        inlayHintProvider: { resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'tollgate-hints' },
    };
  });

  // The tokenizer tables take a few hundred ms to load: do it now rather than on the first hint.
  connection.onInitialized(() => {
    setImmediate(() => countTextTokens('warm up', 'gpt-4o'));
  });

  connection.onDidOpenTextDocument((params) => documents.open(params));
  connection.onDidChangeTextDocument((params) => documents.change(params));
  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.close(textDocument.uri);
    publishDiagnostics(textDocument.uri, undefined);
    published.delete(textDocument.uri);
  });

  connection.onDidChangeConfiguration(({ settings: changed }) => {
    settings = settingsFromConfiguration(changed);
    settingsVersion++;
    documents.refreshAll();
    refreshClient({ hints: true, lenses: true });
  });

  connection.languages.inlayHint.on(async ({ textDocument, range }) => {
    if (!settings.hints.inlayHints) return [];
    const analysed = await documents.analysed(textDocument.uri);
    return analysed ? inlayHints(analysed, range, settings.currency) : [];
  });

  connection.onHover(async ({ textDocument, position }) => {
    if (!settings.hints.hover) return null;
    const analysed = await documents.analysed(textDocument.uri);
    if (!analysed) return null;
    return hover(analysed, analysed.document.offsetAt(position), { settings, route: (model) => gateway.route(model) });
  });

  connection.onCodeLens(async ({ textDocument }) => {
    if (!settings.hints.codeLens || !gateway.configured) return [];
    const analysed = await documents.analysed(textDocument.uri);
    return analysed ? codeLenses(analysed, (sites) => figures.lookup(sites), settings.currency) : [];
  });

  connection.onNotification(GatewayChangedNotification.type, ({ gateway: endpoint }) => {
    gateway.setEndpoint(endpoint);
    figures.invalidate();
    refreshClient({ hints: false, lenses: true });
  });

  let logged: NodeJS.Timeout | undefined;
  connection.onNotification(RequestLoggedNotification.type, () => {
    if (logged) return;
    logged = setTimeout(() => {
      logged = undefined;
      figures.invalidate();
      refreshClient({ hints: false, lenses: true });
    }, REQUEST_LOGGED_DEBOUNCE_MS);
  });

  connection.onRequest(AnalyzeFileRequest.type, (params) => analyzeFile(params, documents, () => settings));

  connection.listen();
}

/** Opts an open document in, or analyses a closed one once from its text (or from disk). */
async function analyzeFile(params: AnalyzeFileParams, documents: DocumentStore, settings: () => HintSettings): Promise<AnalyzeFileResult> {
  let temporary = false;
  if (!documents.optIn(params.uri)) {
    const text = params.text ?? (params.uri.startsWith('file:') ? await readFile(fileURLToPath(params.uri), 'utf8') : '');
    documents.open({ textDocument: { uri: params.uri, languageId: '', version: 0, text } });
    documents.optIn(params.uri);
    temporary = true;
  }
  try {
    const analysed = await documents.analysed(params.uri);
    if (!analysed) return { uri: params.uri, prompts: [] };
    const { document, results } = analysed;
    const prompts = results.sites.map((site, index) => {
      const estimate = results.estimates[index];
      if (!estimate) throw new Error('estimate missing');
      return {
        range: { start: document.positionAt(site.span.start), end: document.positionAt(site.span.end) },
        label: hintLabel(estimate, settings().currency),
        model: site.model.display,
        tokens: estimate.tokens,
        lowerBound: estimate.lowerBound,
        inputUsd: estimate.input.known ? estimate.input.costUsd : null,
      };
    });
    return { uri: params.uri, prompts };
  } finally {
    if (temporary) documents.close(params.uri);
  }
}
