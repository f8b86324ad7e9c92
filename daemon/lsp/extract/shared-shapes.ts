import type { Node } from '@vscode/tree-sitter-wasm';
import type { ReadBudget } from './items';
import { asParts, shortLabel, stringValue, unknown, type Value } from './value';

/** A language reader's own value reader, which the shapes below recurse into. */
export type ReadValue = (node: Node, source: string, budget: ReadBudget, depth: number) => Value;

/**
 * Value shapes whose syntax trees have the same form in both grammars (binary `+`, list
 * literals with a spread), written once for js-reader.ts and py-reader.ts.
 */

/**
 * `"a" + NAME + "b"` is one string with a name in it; `??`, `||` and `or` are fallbacks; any
 * other operator is unknown.
 */
export function concatenation(node: Node, source: string, budget: ReadBudget, depth: number, read: ReadValue): Value {
  const operator = node.childForFieldName('operator')?.type;
  if (operator === '??' || operator === '||' || operator === 'or') return fallback(node, source, budget, depth, read);
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (operator !== '+' || !left || !right) return unknown(shortLabel(source, node));
  return stringValue([...asParts(read(left, source, budget, depth + 1)), ...asParts(read(right, source, budget, depth + 1))]);
}

/** The items of a list literal; `spread` names the grammar's spread node (`...x` / `*x`). */
export function listItems(node: Node, source: string, budget: ReadBudget, depth: number, read: ReadValue, spread: { type: string; label: string }): Value[] {
  const items: Value[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === spread.type) {
      const inner = child.firstNamedChild;
      items.push({ kind: 'spread', of: inner ? read(inner, source, budget, depth) : unknown(spread.label) });
    } else items.push(read(child, source, budget, depth));
  }
  return items;
}

/** `a ?? b`, `a || b` (JavaScript) and `a or b` (Python): every option, in order. */
export function fallback(node: Node, source: string, budget: ReadBudget, depth: number, read: ReadValue): Value {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return unknown(shortLabel(source, node));
  const options = [left, right].flatMap((side) => {
    const value = read(side, source, budget, depth + 1);
    return value.kind === 'fallback' ? value.options : [value];
  });
  return { kind: 'fallback', options };
}

/**
 * A function as the value it returns: an arrow's expression body, or the last `return` at the
 * top of its body (the usual shape of a prompt builder; returns inside branches are not read).
 */
export function functionValue(body: Node | null, blockType: string, source: string, budget: ReadBudget, depth: number, read: ReadValue): Value {
  if (!body) return { kind: 'function', returns: undefined };
  if (body.type !== blockType) return { kind: 'function', returns: read(body, source, budget, depth + 1) };
  let returned: Node | null = null;
  for (const statement of body.namedChildren) if (statement?.type === 'return_statement') returned = statement.firstNamedChild;
  return { kind: 'function', returns: returned ? read(returned, source, budget, depth + 1) : undefined };
}
