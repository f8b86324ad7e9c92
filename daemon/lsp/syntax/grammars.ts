import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';

/**
 * Loads web-tree-sitter and the four grammars the hint server understands, from
 * @vscode/tree-sitter-wasm's wasm files (pure WASM, no native module: runs on any Node the
 * editor has). Languages load on first use: a Python-only window never pays for TypeScript.
 */

export type GrammarId = 'typescript' | 'tsx' | 'javascript' | 'python';

const WASM_FILES = ['tree-sitter.wasm', ...(['typescript', 'tsx', 'javascript', 'python'] as const).map((id) => `tree-sitter-${id}.wasm`)];

/**
 * Where the .wasm files are. In order:
 *  1. $TOLLGATE_TREE_SITTER_DIR (tests, unusual layouts);
 *  2. `tree-sitter/` next to this file: the esbuild bundle dist/lsp.js ships them in dist/tree-sitter/;
 *  3. the package in node_modules (running from sources under tsx).
 */
export function wasmDirectory(): string {
  const candidates = [process.env.TOLLGATE_TREE_SITTER_DIR, join(__dirname, 'tree-sitter')];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'tree-sitter.wasm'))) return dir;
  // createRequire, so that a bundler leaves this fallback alone (it is for runs from sources).
  return join(createRequire(__filename).resolve('@vscode/tree-sitter-wasm/package.json'), '..', 'wasm');
}

/** The files the bundle needs next to it (esbuild copies them; see the build notes). */
export const REQUIRED_WASM_FILES: readonly string[] = WASM_FILES;

let initialised: Promise<string> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();

function init(): Promise<string> {
  initialised ??= (async () => {
    const dir = wasmDirectory();
    await Parser.init({ locateFile: (file: string) => join(dir, file) });
    return dir;
  })();
  return initialised;
}

export function loadGrammar(id: GrammarId): Promise<Language> {
  let language = languages.get(id);
  if (!language) {
    language = init().then((dir) => Language.load(join(dir, `tree-sitter-${id}.wasm`)));
    languages.set(id, language);
  }
  return language;
}

/** The grammar for an LSP languageId, falling back on the file extension. */
export function grammarFor(languageId: string, uri: string): GrammarId | undefined {
  switch (languageId) {
    case 'typescript':
      return 'typescript';
    case 'typescriptreact':
      return 'tsx';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
    case 'python':
      return 'python';
  }
  const extension = /\.([a-z]+)$/i.exec(uri)?.[1]?.toLowerCase();
  if (extension === 'ts' || extension === 'mts' || extension === 'cts') return 'typescript';
  if (extension === 'tsx') return 'tsx';
  if (extension === 'js' || extension === 'mjs' || extension === 'cjs' || extension === 'jsx') return 'javascript';
  if (extension === 'py' || extension === 'pyi') return 'python';
  return undefined;
}
