import { Query, type Language, type Point } from '@vscode/tree-sitter-wasm';
import { ItemCache } from '../extract/item-cache';
import type { BindingItem, SyntaxReader } from '../extract/items';
import { jsReader } from '../extract/js-reader';
import { pyReader } from '../extract/py-reader';
import { loadGrammar, type GrammarId } from '../syntax/grammars';
import { SyntaxTree, type TreeEdit } from '../syntax/syntax-tree';
import { ImportedModules } from './imports';
import { buildSites } from './patterns';
import { Resolver } from './resolve';
import { SiteCache } from './site-cache';
import { priceVariablesWithTheirCall } from './variable-models';
import type { PromptSite } from './site';

/**
 * One document's analysis, whatever its kind: source code (tree-sitter, incremental) or a
 * prompt file (re-read whole: they are small). The document layer drives it in time slices.
 */
export interface Analysis {
  /** One text change, before the next step. */
  applyEdit(edit: TreeEdit): void;
  /** Works until done (true) or until the slice is used up (false: call again with the same text). */
  step(source: string, slice: Slice): boolean;
  /** The sites of the text the last completed step saw. */
  sites(source: string, defaultModel: string): PromptSite[];
  dispose(): void;
}

export interface Slice {
  remainingMs(): number;
  due(): boolean;
  pointAt(offset: number): Point;
}

const READERS: Record<GrammarId, SyntaxReader> = { typescript: jsReader, tsx: jsReader, javascript: jsReader, python: pyReader };
const queries = new Map<GrammarId, Query>();

/** `uri` locates the modules the document imports from (imports.ts). */
export async function createCodeAnalysis(grammar: GrammarId, uri: string): Promise<Analysis> {
  const language = await loadGrammar(grammar);
  let query = queries.get(grammar);
  if (!query) {
    query = new Query(language, READERS[grammar].querySource(grammar));
    queries.set(grammar, query);
  }
  const imports = new ImportedModules(uri, { language, reader: READERS[grammar], query, python: grammar === 'python' });
  return new CodeAnalysis(language, READERS[grammar], query, imports);
}

class CodeAnalysis implements Analysis {
  private readonly syntax: SyntaxTree;
  private readonly items: ItemCache;
  private cachedSites: { source: string; defaultModel: string; sites: PromptSite[] } | undefined;
  private readonly siteCache = new SiteCache();

  constructor(
    language: Language,
    reader: SyntaxReader,
    query: Query,
    private readonly imports: ImportedModules,
  ) {
    this.syntax = new SyntaxTree(language);
    this.items = new ItemCache(reader, query);
  }

  applyEdit(edit: TreeEdit): void {
    this.syntax.edit(edit);
    this.items.applyEdit(edit);
    this.cachedSites = undefined;
  }

  step(source: string, slice: Slice): boolean {
    const parsed = this.syntax.parseStep(source, Math.max(1, slice.remainingMs()));
    if (!parsed) return false;
    this.items.markDirty(parsed.dirty, source.length);
    this.cachedSites = undefined;
    return this.items.scan({ tree: parsed.tree, source, pointAt: (offset) => slice.pointAt(offset), due: () => slice.due() });
  }

  sites(source: string, defaultModel: string): PromptSite[] {
    const cached = this.cachedSites;
    if (cached && cached.source === source && cached.defaultModel === defaultModel) return cached.sites;
    const tree = this.syntax.tree;
    if (!tree) return [];
    const items = [...this.items.all()];
    const bindings = (): BindingItem[] => items.filter((item): item is BindingItem => item.kind === 'binding');
    const resolver = new Resolver(bindings, {
      valueOf: (binding) => this.items.valueOf(binding, tree, source),
      scopeOf: (binding) => this.items.scopeOf(binding, tree),
      imported: (module, name) => this.imports.exported(module, name),
    });
    this.siteCache.invalidate(this.items.takeChanges(), items, defaultModel);
    const built = buildSites(items, (item) => this.siteCache.siteOf(item, resolver));
    const sites = priceVariablesWithTheirCall(built, (item) => this.siteCache.namesOf(item));
    this.cachedSites = { source, defaultModel, sites };
    return sites;
  }

  dispose(): void {
    this.syntax.dispose();
  }
}
