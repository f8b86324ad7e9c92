import type { Point, Query, Tree } from '@vscode/tree-sitter-wasm';
import { MAX_BINDINGS_PER_FILE } from '../limits';
import { mapSpan, mergeSpans, touches, widen, type OffsetEdit, type Span } from '../syntax/spans';
import { itemKey, shiftItem, type BindingItem, type Item, type SyntaxReader } from './items';
import type { Value } from './value';

/**
 * The items of one document, kept across edits. An edit moves every item after it; after the
 * reparse, only the spans that changed (the edited text plus tree-sitter's changed ranges) are
 * queried again, and items elsewhere are reused as they are. A full scan (first open) is split
 * into chunks so it can be interleaved with other work.
 */

/** Characters queried per step of a full scan. */
const FULL_SCAN_CHUNK = 60_000;

export interface ScanContext {
  tree: Tree;
  source: string;
  pointAt(offset: number): Point;
  /** True when the current time slice is used up: stop and continue in the next one. */
  due(): boolean;
}

export class ItemCache {
  private items = new Map<string, Item>();
  /** Spans of the current text still to be queried; 'all' until the first scan starts. */
  private pending: Span[] | 'all' = 'all';
  private bindings = 0;

  constructor(
    private readonly reader: SyntaxReader,
    private readonly query: Query,
  ) {}

  /** Moves cached items and pending spans through one text change (before the reparse). */
  applyEdit(edit: OffsetEdit): void {
    const moved = new Map<string, Item>();
    for (const item of this.items.values()) {
      shiftItem(item, edit);
      moved.set(itemKey(item), item);
    }
    this.items = moved;
    if (this.pending !== 'all') this.pending = this.pending.map((span) => mapSpan(span, edit));
  }

  /** After a parse: what may have changed. 'all' forgets every item. */
  markDirty(dirty: Span[] | 'all', length: number): void {
    if (dirty === 'all' || this.pending === 'all') {
      this.items.clear();
      this.bindings = 0;
      this.pending = fullScanChunks(length);
      return;
    }
    const spans = dirty.map((span) => widen(span, 1, length));
    for (const [key, item] of this.items) {
      if (spans.some((span) => touches(item.span, span))) this.drop(key, item);
    }
    this.pending = mergeSpans([...this.pending, ...spans]);
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

  /** A binding's value, read from the current tree on first use and kept until it is edited. */
  valueOf(binding: BindingItem, tree: Tree, source: string): Value {
    if (!binding.value) {
      const node = tree.rootNode.descendantForIndex(binding.valueSpan.start, binding.valueSpan.end);
      binding.value = node ? this.reader.readValue(node, source) : { kind: 'unknown', label: binding.name };
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
    for (const match of matches) {
      const item = this.reader.itemFromMatch(match, context.source);
      if (!item) continue;
      const key = itemKey(item);
      if (this.items.has(key)) continue;
      if (item.kind === 'binding') {
        if (this.bindings >= MAX_BINDINGS_PER_FILE) continue;
        this.bindings++;
        // Prompt variables are sites: read now, while the match's nodes are at hand.
        if (item.promptName) item.value = this.reader.readValue(captureValue(match), context.source);
      }
      this.items.set(key, item);
    }
  }

  private drop(key: string, item: Item): void {
    this.items.delete(key);
    if (item.kind === 'binding') this.bindings--;
  }
}

function captureValue(match: Parameters<SyntaxReader['itemFromMatch']>[0]) {
  const node = match.captures.find((capture) => capture.name === 'value')?.node;
  if (!node) throw new Error('binding match without @value');
  return node;
}

function fullScanChunks(length: number): Span[] {
  const chunks: Span[] = [];
  for (let start = 0; start < length; start += FULL_SCAN_CHUNK) chunks.push({ start, end: Math.min(length, start + FULL_SCAN_CHUNK) });
  return chunks.length > 0 ? chunks : [{ start: 0, end: 0 }];
}
