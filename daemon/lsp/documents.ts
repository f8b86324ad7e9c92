import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidOpenTextDocumentParams } from 'vscode-languageserver/node';
import { createCodeAnalysis, type Analysis } from './analyze/analysis';
import { runAnalysis, yieldToEventLoop, type SiteResults } from './analyze/run';
import { MAX_DOCUMENT_CHARS, SLICE_MS } from './limits';
import { promptFileKind } from './prompt-files/prompt-file';
import { PromptFileAnalysis } from './prompt-files/prompt-file-analysis';
import type { HintSettings } from './protocol';
import { grammarFor } from './syntax/grammars';
import { applyChanges, toPoint } from './syntax/lsp-edits';

/**
 * The open documents and their analyses. Changes are applied at once (moving cached results);
 * the analysis itself runs in the background in slices, and requests wait for the one that
 * matches the current text and settings.
 */

export interface AnalysedDocument {
  document: TextDocument;
  results: SiteResults;
}

interface DocumentState {
  document: TextDocument;
  analysis: Analysis | undefined;
  creating: Promise<Analysis | undefined> | undefined;
  results: (SiteResults & { version: number; settingsVersion: number; epoch: number }) | undefined;
  /** Bumped when what to analyse changes without a text change (opting in). */
  epoch: number;
  job: Promise<void> | undefined;
  rerun: boolean;
  closed: boolean;
  /** Opted in by tollgate/analyzeFile (e.g. a Markdown file while Markdown is off). */
  optedIn: boolean;
}

export interface DocumentStoreEnvironment {
  settings(): HintSettings;
  /** Bumped on every settings change, so results computed under old settings are recomputed. */
  settingsVersion(): number;
  onAnalysed(uri: string, analysed: AnalysedDocument): void;
  onError(message: string): void;
}

const EMPTY: SiteResults = { sites: [], estimates: [] };

export class DocumentStore {
  private readonly states = new Map<string, DocumentState>();

  constructor(private readonly env: DocumentStoreEnvironment) {}

  open({ textDocument }: DidOpenTextDocumentParams): void {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    this.close(textDocument.uri);
    const state: DocumentState = { document, analysis: undefined, creating: undefined, results: undefined, epoch: 0, job: undefined, rerun: false, closed: false, optedIn: false };
    this.states.set(textDocument.uri, state);
    this.schedule(state);
  }

  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const state = this.states.get(textDocument.uri);
    if (!state) return;
    applyChanges(state.document, contentChanges, textDocument.version, (edit) => state.analysis?.applyEdit(edit));
    this.schedule(state);
  }

  close(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    state.closed = true;
    state.analysis?.dispose();
    this.states.delete(uri);
  }

  /** Includes a document that the settings would skip (tollgate/analyzeFile). */
  optIn(uri: string): boolean {
    const state = this.states.get(uri);
    if (!state) return false;
    state.optedIn = true;
    state.epoch++;
    this.schedule(state);
    return true;
  }

  /** Settings changed: every document is analysed again (cached syntax is kept). */
  refreshAll(): void {
    for (const state of this.states.values()) this.schedule(state);
  }

  uris(): string[] {
    return [...this.states.keys()];
  }

  /** The results for the document's current text and settings, waiting for them if needed. */
  async analysed(uri: string): Promise<AnalysedDocument | undefined> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const state = this.states.get(uri);
      if (!state) return undefined;
      const results = state.results;
      if (results && results.version === state.document.version && results.settingsVersion === this.env.settingsVersion() && results.epoch === state.epoch) {
        return { document: state.document, results };
      }
      if (!state.job) this.schedule(state);
      await state.job;
    }
    return undefined;
  }

  private schedule(state: DocumentState): void {
    state.rerun = true;
    state.job ??= this.runJobs(state).finally(() => {
      state.job = undefined;
    });
  }

  private async runJobs(state: DocumentState): Promise<void> {
    while (state.rerun && !state.closed) {
      state.rerun = false;
      try {
        await this.analyse(state);
      } catch (error) {
        // One bad document must not take the server down: report it and show nothing for it.
        this.env.onError(`analysis of ${state.document.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        state.results = { ...EMPTY, version: state.document.version, settingsVersion: this.env.settingsVersion(), epoch: state.epoch };
      }
    }
  }

  private async analyse(state: DocumentState): Promise<void> {
    const version = state.document.version;
    const settingsVersion = this.env.settingsVersion();
    const epoch = state.epoch;
    const settings = this.env.settings();
    const analysis = await this.analysisFor(state, settings);
    const source = state.document.getText();
    const stale = (): boolean => state.closed || state.document.version !== version || this.env.settingsVersion() !== settingsVersion || state.epoch !== epoch;
    if (stale()) return;
    const results = analysis
      ? await runAnalysis(analysis, source, {
          sliceMs: SLICE_MS,
          yieldNow: yieldToEventLoop,
          stale,
          pointAt: (offset) => toPoint(state.document.positionAt(offset)),
          defaultModel: settings.defaultModel,
          pricing: { overrides: settings.priceOverrides },
        })
      : EMPTY;
    if (!results || stale()) return;
    state.results = { ...results, version, settingsVersion, epoch };
    this.env.onAnalysed(state.document.uri, { document: state.document, results });
  }

  /** The analysis for a document, created on first need; undefined for documents not analysed. */
  private async analysisFor(state: DocumentState, settings: HintSettings): Promise<Analysis | undefined> {
    const { uri, languageId } = state.document;
    if (state.document.getText().length > MAX_DOCUMENT_CHARS) return undefined;
    const grammar = grammarFor(languageId, uri);
    if (!grammar) {
      const kind = promptFileKind(uri, languageId);
      const wanted = kind !== undefined && (state.optedIn || (settings.promptFiles.enabled && (kind !== 'markdown' || settings.promptFiles.markdown)));
      if (!wanted) return undefined;
      state.analysis ??= new PromptFileAnalysis(kind);
      return state.analysis;
    }
    if (state.analysis) return state.analysis;
    state.creating ??= createCodeAnalysis(grammar, uri);
    const created = await state.creating;
    // Changes made while the grammar loaded are in the text; a new analysis parses it all anyway.
    if (!state.closed) state.analysis ??= created;
    else created?.dispose();
    return state.analysis;
  }
}
