import type { Point, Query, Tree } from '@vscode/tree-sitter-wasm';
import { MAX_BINDINGS_PER_FILE } from '../limits';
import { mapSpan, mergeSpans, touches, widen, type OffsetEdit, type Span } from '../syntax/spans';
import { itemKey, shiftItem, spanOf, type BindingItem, type Item, type SyntaxReader } from './items';
import type { Value } from './value';

/**
 * The items of one document, kept across edits. An edit moves every item after it (in place, so
 * whatever refers to an item's span follows it); after the reparse only the spans that changed
 * (the edited text plus tree-sitter's changed ranges) are queried again, and items elsewhere are
 * reused as they are. A full scan (first open) is split into chunks so it can be interleaved
 * with other work. The cache also says which binding names changed, so that only the prompts
 * that use them are resolved again.
 */

/** Characters queried at most per query (a scan step): about 20 ms of work. */
const FULL_SCAN_CHUNK = 20_000;

export interface ScanContext {
  tree: Tree;
  source: string;
  pointAt(offset: number): Point;
  /** True when the current time slice is used up: stop and continue in the next one. */
  due(): boolean;
}

/** What changed since the last takeChanges(): every item (a full scan), or these binding names. */
export type ItemChanges = { all: true } | { all: false; names: ReadonlySet<string> };

export class ItemCache {
  private readonly items = new Set<Item>();
  /** Spans of the current text still to be queried; 'all' until the first scan starts. */
  private pending: Span[] | 'all' = 'all';
  private bindings = 0;
  private changedNames = new Set<string>();
  private allChanged = true;

  constructor(
    private readonly reader: SyntaxReader,
    private readonly query: Query,
  ) {}

  /** Moves cached items and pending spans through one text change (before the reparse). */
  applyEdit(edit: OffsetEdit): void {
    for (const item of this.items) shiftItem(item, edit);
    if (this.pending !== 'all') this.pending = this.pending.map((span) => mapSpan(span, edit));
  }

  /** After a parse: what may have changed. 'all' forgets every item. */
  markDirty(dirty: Span[] | 'all', length: number): void {
    if (dirty === 'all' || this.pending === 'all') {
      this.items.clear();
      this.bindings = 0;
      this.allChanged = true;
      this.pending = chunks([{ start: 0, end: length }]);
      return;
    }
    if (dirty.length === 0) return;
    for (const item of this.items) {
      if (dirty.some((span) => touches(item.span, span))) this.drop(item);
    }
    // Queried a little wider than what was dropped: tree-sitter returns the nodes that overlap a
    // range, and an item that only touches the span must come back. Items found twice are skipped.
    const spans = dirty.map((span) => widen(span, 2, length));
    this.pending = chunks(mergeSpans([...this.pending, ...spans]));
  }

  /** Queries pending spans until done (true) or the slice is used up (false: call again). */
  scan(context: ScanContext): boolean {
    if (this.pending === 'all') this.markDirty('all', context.source.length);
    const pending = this.pending as Span[];
    while (pending.length > 0) {
      const span = pending.shift() as Span;
      this.queryAndAdd(span, context);
      if (pending.length > 0 && context.due()) return false;
    }
    return true;
  }

  all(): IterableIterator<Item> {
    return this.items.values();
  }

  takeChanges(): ItemChanges {
    const changes: ItemChanges = this.allChanged ? { all: true } : { all: false, names: this.changedNames };
    this.allChanged = false;
    this.changedNames = new Set();
    return changes;
  }

  /** A binding's value, read from the current tree on first use and kept until it is edited. */
  valueOf(binding: BindingItem, tree: Tree, source: string): Value {
    if (!binding.value) {
      // The deepest node spanning the binding is the declarator / assignment itself.
      const node = tree.rootNode.descendantForIndex(binding.span.start, binding.span.end);
      const value = node && this.reader.valueNode(node);
      binding.value = value ? this.reader.readValue(value, source) : { kind: 'unknown', label: binding.name };
      if (value) binding.valueSpan = spanOf(value);
    }
    return binding.value;
  }

  scopeOf(binding: BindingItem, tree: Tree): Span {
    if (!binding.scope) {
      const node = tree.rootNode.descendantForIndex(binding.span.start, binding.span.end);
      binding.scope = node ? this.reader.scopeOf(node) : { start: 0, end: Number.MAX_SAFE_INTEGER };
    }
    return binding.scope;
  }

  private queryAndAdd(span: Span, context: ScanContext): void {
    const matches = this.query.matches(context.tree.rootNode, {
      startPosition: context.pointAt(span.start),
      endPosition: context.pointAt(span.end),
    });
    const present = new Set<string>();
    for (const item of this.items) if (touches(item.span, span)) present.add(itemKey(item));
    for (const match of matches) {
      const item = this.reader.itemFromMatch(match, context.source);
      if (!item || present.has(itemKey(item))) continue;
      if (item.kind === 'binding') {
        if (this.bindings >= MAX_BINDINGS_PER_FILE) continue;
        this.bindings++;
        this.changedNames.add(item.name);
      }
      present.add(itemKey(item));
      this.items.add(item);
    }
  }

  private drop(item: Item): void {
    this.items.delete(item);
    if (item.kind === 'binding') {
      this.bindings--;
      this.changedNames.add(item.name);
    }
  }
}

/** Spans cut to FULL_SCAN_CHUNK at most, so that one query never holds the server for long. */
function chunks(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    for (let start = span.start; start < span.end; start += FULL_SCAN_CHUNK) out.push({ start, end: Math.min(span.end, start + FULL_SCAN_CHUNK) });
    if (span.start === span.end) out.push(span);
  }
  return out;
}
