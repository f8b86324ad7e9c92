import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { MAX_VALUE_NODES } from '../limits';
import type { GrammarId } from '../syntax/grammars';
import { mapOffset, type OffsetEdit, type Span } from '../syntax/spans';
import type { ObjectEntry, Value } from './value';

/**
 * What the syntax queries find, before any interpretation: calls that may be LLM SDK calls, and
 * name bindings (constants that calls refer to, and prompt-named variables). Items keep absolute
 * offsets that are moved on every edit, so untouched ones are reused as they are.
 */

export interface CallItem {
  kind: 'call';
  span: Span;
  /** The callee as a dotted path without whitespace or `?.`: "client.chat.completions.create". */
  callee: string;
  args: Value[];
  /** Python keyword arguments (model=…, messages=…); undefined for JavaScript. */
  keywords: ObjectEntry[] | undefined;
}

export interface BindingItem {
  kind: 'binding';
  span: Span;
  name: string;
  /** Where the bound value is; known once the value has been read. */
  valueSpan?: Span;
  /** The name contains "prompt" or "instructions": a string bound to it is itself a prompt. */
  promptName: boolean;
  /** Read on first use (most constants are never referred to by a prompt). */
  value?: Value;
  /** The span in which the name is visible; found on first use. */
  scope?: Span;
}

export type Item = CallItem | BindingItem;

export function itemKey(item: Item): string {
  return `${item.kind}:${item.span.start}:${item.span.end}`;
}

/**
 * Moves an item through an edit (touched ones are dropped afterwards and found again). In place:
 * a prompt site built from the item shares its span objects and moves with it.
 */
export function shiftItem(item: Item, edit: OffsetEdit): void {
  shiftSpan(item.span, edit);
  if (item.kind === 'binding') {
    if (item.valueSpan) shiftSpan(item.valueSpan, edit);
    if (item.scope) shiftSpan(item.scope, edit);
  }
}

function shiftSpan(span: Span, edit: OffsetEdit): void {
  span.start = mapOffset(span.start, edit);
  span.end = mapOffset(span.end, edit);
}

/**
 * One language's way of reading its syntax tree. The query finds candidates; the reader turns
 * a match into an Item and nodes into Values.
 */
export interface SyntaxReader {
  querySource(grammar: GrammarId): string;
  itemFromMatch(match: QueryMatch, source: string): Item | undefined;
  /** The value node of a binding node (declarator, assignment, field). */
  valueNode(binding: Node): Node | null;
  readValue(node: Node, source: string): Value;
  scopeOf(node: Node): Span;
}

/**
 * A binding item. A prompt-named one is read at once (it is a site, and its value's end is where
 * the hint goes); any other is read only if a prompt refers to it.
 */
export function bindingItem(node: Node, name: string, source: string, reader: SyntaxReader): BindingItem {
  const item: BindingItem = { kind: 'binding', span: spanOf(node), name, promptName: PROMPT_NAME.test(name) };
  if (item.promptName) {
    const value = reader.valueNode(node);
    if (value) {
      item.valueSpan = spanOf(value);
      item.value = reader.readValue(value, source);
    }
  }
  return item;
}

/**
 * A name imported from a module: its value is the import itself (analyze/imports.ts reads the
 * module when a prompt uses the name). Read at once: the name and the module are all there is.
 */
export function importItem(node: Node, bound: string, module: string, name: string): BindingItem {
  return { kind: 'binding', span: spanOf(node), name: bound, promptName: false, value: { kind: 'import', module, name }, valueSpan: spanOf(node) };
}

/** A node's text, sliced from the source (cheaper than node.text, which goes through wasm). */
export function textOf(node: Node, source: string): string {
  return source.slice(node.startIndex, node.endIndex);
}

export const PROMPT_NAME = /prompt|instructions/i;

export function captureOf(match: QueryMatch, name: string): Node | undefined {
  return match.captures.find((capture) => capture.name === name)?.node;
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** Caps the nodes read for one value, so a 10,000-element array literal costs a bounded amount. */
export class ReadBudget {
  private nodes = 0;
  spend(): boolean {
    return ++this.nodes <= MAX_VALUE_NODES;
  }
}

/** "client\n  .chat?.completions.create" → "client.chat.completions.create". */
export function calleePath(source: string): string {
  const path = source.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!\./g, '.');
  return path.length > 200 ? path.slice(-200) : path;
}
