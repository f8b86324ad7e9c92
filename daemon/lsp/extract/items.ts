import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { MAX_VALUE_NODES } from '../limits';
import type { GrammarId } from '../syntax/grammars';
import { mapSpan, type OffsetEdit, type Span } from '../syntax/spans';
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
  valueSpan: Span;
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

/** Moves an item that an edit did not touch (touched ones are dropped and found again). */
export function shiftItem(item: Item, edit: OffsetEdit): void {
  item.span = mapSpan(item.span, edit);
  if (item.kind === 'binding') {
    item.valueSpan = mapSpan(item.valueSpan, edit);
    if (item.scope) item.scope = mapSpan(item.scope, edit);
  }
}

/**
 * One language's way of reading its syntax tree. The query finds candidates; the reader turns
 * a match into an Item and nodes into Values.
 */
export interface SyntaxReader {
  querySource(grammar: GrammarId): string;
  itemFromMatch(match: QueryMatch, source: string): Item | undefined;
  readValue(node: Node, source: string): Value;
  scopeOf(node: Node): Span;
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
