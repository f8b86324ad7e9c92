import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, type Language, type Query } from '@vscode/tree-sitter-wasm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ItemCache } from '../extract/item-cache';
import type { BindingItem, SyntaxReader } from '../extract/items';
import type { Value } from '../extract/value';
import { toPoint } from '../syntax/lsp-edits';
import { closedValue, helperResult } from './helpers';
import { Resolver } from './resolve';

/**
 * Names imported from the workspace's own modules (`import { buildMessages } from './prompts'`,
 * `from .prompts import build_messages`), read where that is cheap: a relative module of at most
 * MAX_MODULE_BYTES, parsed once with the importing document's grammar, its exports closed over
 * its own constants and helpers. One level only (the module's own imports stay unknown), and
 * packages are never read. A module is read again when its size or mtime changes.
 */

const MAX_MODULE_BYTES = 200_000;
const MAX_MODULES = 64;
const JS_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];

export interface ModuleGrammar {
  language: Language;
  reader: SyntaxReader;
  query: Query;
  python: boolean;
}

export class ImportedModules {
  private readonly modules = new Map<string, { stamp: string; exports: Map<string, Value | undefined> }>();

  constructor(
    private readonly fromUri: string,
    private readonly grammar: ModuleGrammar,
  ) {}

  /** What `module` exports as `name`, closed in its module; undefined when it cannot be read cheaply. */
  exported(module: string, name: string): Value | undefined {
    const path = this.locate(module);
    if (!path) return undefined;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size > MAX_MODULE_BYTES) return undefined;
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    let entry = this.modules.get(path);
    if (!entry || entry.stamp !== stamp) {
      if (this.modules.size >= MAX_MODULES) this.modules.clear();
      entry = { stamp, exports: new Map() };
      this.modules.set(path, entry);
    }
    if (!entry.exports.has(name)) entry.exports.set(name, this.read(path, name));
    return entry.exports.get(name);
  }

  /** The file a relative module names, next to the importing document. */
  private locate(module: string): string | undefined {
    if (!this.fromUri.startsWith('file:')) return undefined;
    const directory = dirname(fileURLToPath(this.fromUri));
    const candidates = this.grammar.python ? pythonCandidates(directory, module) : jsCandidates(directory, module);
    return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
  }

  private read(path: string, name: string): Value | undefined {
    const source = readFileSync(path, 'utf8');
    const parser = new Parser();
    parser.setLanguage(this.grammar.language);
    const tree = parser.parse(source);
    try {
      if (!tree) return undefined;
      const items = new ItemCache(this.grammar.reader, this.grammar.query);
      const document = TextDocument.create('file:///module', '', 0, source);
      items.scan({ tree, source, pointAt: (offset) => toPoint(document.positionAt(offset)), due: () => false });
      const bindings = [...items.all()].filter((item): item is BindingItem => item.kind === 'binding');
      const resolver = new Resolver(() => bindings, { valueOf: (binding) => items.valueOf(binding, tree, source), scopeOf: (binding) => items.scopeOf(binding, tree) });
      // Seen from the end of the module: its top-level names are all declared by then.
      const at = source.length;
      const binding = resolver.find(name, at);
      if (!binding) return undefined;
      const value = resolver.valueOf(binding);
      if (value.kind === 'function') return { kind: 'function', returns: helperResult({ kind: 'call', callee: name, args: [] }, resolver, at) };
      return closedValue(value, resolver, at);
    } finally {
      tree?.delete();
      parser.delete();
    }
  }
}

function jsCandidates(directory: string, module: string): string[] {
  if (!module.startsWith('.')) return [];
  // ESM TypeScript imports name the emitted file: './prompts.js' is ./prompts.ts in the sources.
  const base = resolvePath(directory, module.replace(/\.(m|c)?js$/, ''));
  return [resolvePath(directory, module), ...JS_EXTENSIONS.map((extension) => base + extension)];
}

/** `.prompts` / `..pkg.prompts` relative to the file; a plain `prompts` as a sibling module. */
function pythonCandidates(directory: string, module: string): string[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  let base = directory;
  for (let level = 1; level < dots; level++) base = dirname(base);
  const parts = module.slice(dots).split('.').filter(Boolean);
  if (parts.length === 0) return [];
  const path = join(base, ...parts);
  return [`${path}.py`, join(path, '__init__.py')];
}
