import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeLens,
  Diagnostic,
  Hover,
  InlayHint,
  InitializeParams,
  LogMessageParams,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

/**
 * Drives the real hint server as a child process over stdio, the way vscode-languageclient does:
 * `node --import tsx daemon/lsp/main.ts --stdio` (or the bundle named by TOLLGATE_LSP_BUNDLE,
 * e.g. dist/lsp.js), with a plain JSON-RPC connection on the test side.
 */

export const ROOT = resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'prompts');

export interface TestServer {
  connection: MessageConnection;
  /** Latest diagnostics per URI. */
  diagnostics: Map<string, Diagnostic[]>;
  /** Server → client refresh requests received, by method. */
  refreshes: Map<string, number>;
  /** window/logMessage notifications received (type 1 = error). */
  logs: LogMessageParams[];
  stderr(): string;
  open(uri: string, languageId: string, text: string): Promise<void>;
  openFixture(name: string, languageId: string): Promise<{ uri: string; text: string }>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  close(uri: string): Promise<void>;
  inlayHints(uri: string, range?: Range): Promise<InlayHint[]>;
  hover(uri: string, position: Position): Promise<Hover | null>;
  codeLenses(uri: string): Promise<CodeLens[]>;
  configure(settings: unknown): Promise<void>;
  waitForDiagnostics(uri: string, test: (diagnostics: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

export function fixtureUri(name: string): string {
  return pathToFileURL(join(FIXTURES, name)).href;
}

export async function startTestServer(initializationOptions: unknown = {}): Promise<TestServer> {
  const bundle = process.env.TOLLGATE_LSP_BUNDLE;
  const args = bundle ? [resolve(ROOT, bundle), '--stdio'] : ['--import', 'tsx', join(ROOT, 'daemon', 'lsp', 'main.ts'), '--stdio'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (!child.stdout || !child.stdin) throw new Error('no stdio');
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Map<string, Diagnostic[]>();
  const refreshes = new Map<string, number>();
  const waiters = new Set<() => void>();
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    diagnostics.set(params.uri, params.diagnostics);
    for (const waiter of waiters) waiter();
  });
  for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) {
    connection.onRequest(method, () => {
      refreshes.set(method, (refreshes.get(method) ?? 0) + 1);
      return null;
    });
  }
  const logs: LogMessageParams[] = [];
  connection.onNotification('window/logMessage', (params: LogMessageParams) => {
    logs.push(params);
  });
  connection.listen();
  const params: InitializeParams = {
    processId: process.pid,
    rootUri: pathToFileURL(ROOT).href,
    capabilities: { workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } } },
    initializationOptions,
  };
  await connection.sendRequest('initialize', params);
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();

  const server: TestServer = {
    connection,
    diagnostics,
    refreshes,
    logs,
    stderr: () => stderr,
    async open(uri, languageId, text) {
      versions.set(uri, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    async openFixture(name, languageId) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const uri = fixtureUri(name);
      await server.open(uri, languageId, text);
      return { uri, text };
    },
    async change(uri, version, changes) {
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    },
    async close(uri) {
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    async inlayHints(uri, range = { start: { line: 0, character: 0 }, end: { line: 100_000, character: 0 } }) {
      return ((await connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range })) as InlayHint[] | null) ?? [];
    },
    hover: (uri, position) => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }),
    async codeLenses(uri) {
      return ((await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[] | null) ?? [];
    },
    async configure(settings) {
      await connection.sendNotification('workspace/didChangeConfiguration', { settings: { tollgate: settings } });
    },
    waitForDiagnostics(uri, test, timeoutMs = 10_000) {
      return new Promise((resolvePromise, reject) => {
        const check = (): void => {
          const current = diagnostics.get(uri);
          if (current && test(current)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolvePromise(current);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`diagnostics for ${uri} did not arrive: ${JSON.stringify(diagnostics.get(uri))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) child.kill();
    },
  };
  return server;
}

/** The text of an inlay hint label (string or parts). */
export function labelOf(hint: InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}
