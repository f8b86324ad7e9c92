import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { MAX_PROMPT_CHARS, MAX_VALUE_DEPTH } from '../limits';
import { calleePath, captureOf, PROMPT_NAME, ReadBudget, spanOf, type Item, type SyntaxReader } from './items';
import { decodeJsEscapes } from './strings';
import { asParts, hole, shortLabel, stringValue, text, unknown, type ObjectEntry, type StringPart, type Value } from './value';

/**
 * TypeScript, TSX and JavaScript (the three grammars share these node types).
 *
 * The query only selects candidates; the callee's full path is checked afterwards
 * (analyze/patterns.ts), because predicates on whole member chains would be slower in the
 * query engine than one string test here.
 */
function query(typed: boolean): string {
  // TypeScript-only wrappers (x as T, x satisfies T) and class field node names differ per grammar.
  const wrappers = typed ? '(as_expression) (satisfies_expression)' : '';
  const field = typed ? '(public_field_definition name:' : '(field_definition property:';
  return `
(call_expression
  function: (member_expression property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "create" "stream" "parse" "fromMessages" "fromTemplate")) @call
(call_expression
  function: (identifier) @method
  arguments: (arguments) @args
  (#any-of? @method "generateText" "streamText" "generateObject" "streamObject")) @call
(variable_declarator
  name: (identifier) @name
  value: [(string) (template_string) (binary_expression) (array) (object) (number) ${wrappers}
          (parenthesized_expression) (call_expression arguments: (arguments . (string)))] @value) @binding
${field} (property_identifier) @name
  value: [(string) (template_string) (binary_expression) ${wrappers}] @value) @binding
`;
}

const SCOPE_TYPES = new Set(['statement_block', 'class_body', 'program', 'switch_body']);
const TYPE_WRAPPERS = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'parenthesized_expression']);

export const jsReader: SyntaxReader = {
  querySource: (grammar) => query(grammar !== 'javascript'),

  itemFromMatch(match: QueryMatch, source: string): Item | undefined {
    const call = captureOf(match, 'call');
    if (call) return callItem(call, source);
    const binding = captureOf(match, 'binding');
    const name = captureOf(match, 'name');
    const value = captureOf(match, 'value');
    if (!binding || !name || !value) return undefined;
    // Class fields are reached as this.name, never by the bare name.
    const bound = binding.type === 'variable_declarator' ? name.text : `this.${name.text}`;
    return { kind: 'binding', span: spanOf(binding), name: bound, valueSpan: spanOf(value), promptName: PROMPT_NAME.test(bound) };
  },

  readValue(node: Node, source: string): Value {
    return readValue(node, source, new ReadBudget(), 0);
  },

  scopeOf(node: Node): { start: number; end: number } {
    for (let current = node.parent; current; current = current.parent) {
      if (SCOPE_TYPES.has(current.type)) return spanOf(current);
    }
    return { start: 0, end: Number.MAX_SAFE_INTEGER };
  },
};

function callItem(call: Node, source: string): Item | undefined {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || !args) return undefined;
  const budget = new ReadBudget();
  return {
    kind: 'call',
    span: spanOf(call),
    callee: calleePath(source.slice(callee.startIndex, callee.endIndex)),
    args: listItems(args, source, budget, 1),
    keywords: undefined,
  };
}

function readValue(node: Node, source: string, budget: ReadBudget, depth: number): Value {
  if (!budget.spend() || depth > MAX_VALUE_DEPTH) return unknown('too large');
  const type = node.type;
  if (TYPE_WRAPPERS.has(type)) {
    const inner = node.firstNamedChild;
    return inner ? readValue(inner, source, budget, depth + 1) : unknown(type);
  }
  switch (type) {
    case 'string':
      return stringValue([text(cooked(source, node.startIndex + 1, node.endIndex - 1))]);
    case 'template_string':
      return stringValue(templateParts(node, source));
    case 'number':
      return { kind: 'number', value: Number(source.slice(node.startIndex, node.endIndex).replace(/_/g, '')) };
    case 'identifier':
      return node.text === 'undefined' ? unknown('undefined') : { kind: 'ref', name: node.text };
    case 'member_expression':
      return memberValue(node, source);
    case 'binary_expression':
      return concatenation(node, source, budget, depth);
    case 'array':
      return { kind: 'array', items: listItems(node, source, budget, depth + 1) };
    case 'object':
      return { kind: 'object', entries: objectEntries(node, source, budget, depth + 1) };
    case 'call_expression':
    case 'new_expression':
      return callValue(node, source, budget, depth);
  }
  return unknown(shortLabel(source.slice(node.startIndex, node.endIndex)));
}

/** `this.systemPrompt` refers to a class field binding; other member paths are unknown. */
function memberValue(node: Node, source: string): Value {
  const path = source.slice(node.startIndex, node.endIndex);
  return /^this\.[A-Za-z_$][\w$]*$/.test(path) ? { kind: 'ref', name: path } : unknown(shortLabel(path));
}

/** Decoded text of [start, end), capped so a giant literal costs no more than MAX_PROMPT_CHARS. */
function cooked(source: string, start: number, end: number): string {
  return decodeJsEscapes(source.slice(start, Math.min(end, start + MAX_PROMPT_CHARS)));
}

function templateParts(node: Node, source: string): StringPart[] {
  const parts: StringPart[] = [];
  let literalStart = node.startIndex + 1;
  for (const child of node.namedChildren) {
    if (child?.type !== 'template_substitution') continue;
    parts.push(text(cooked(source, literalStart, child.startIndex)));
    parts.push(substitution(child, source));
    literalStart = child.endIndex;
  }
  parts.push(text(cooked(source, literalStart, node.endIndex - 1)));
  return parts;
}

/** ${NAME} is resolved later (it may be a constant); any other expression is a hole. */
function substitution(node: Node, source: string): StringPart {
  const expression = node.firstNamedChild;
  const inner = expression ? source.slice(expression.startIndex, expression.endIndex) : '';
  if (expression?.type === 'identifier' || /^this\.[A-Za-z_$][\w$]*$/.test(inner)) return { kind: 'ref', name: inner };
  return hole(`\${${shortLabel(inner)}}`);
}

/** `"a" + NAME + \`b\`` is one string with a name in it; `+` on anything else is unknown. */
function concatenation(node: Node, source: string, budget: ReadBudget, depth: number): Value {
  const operator = node.childForFieldName('operator')?.type;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (operator !== '+' || !left || !right) return unknown(shortLabel(source.slice(node.startIndex, node.endIndex)));
  return stringValue([...asParts(readValue(left, source, budget, depth + 1)), ...asParts(readValue(right, source, budget, depth + 1))]);
}

function listItems(node: Node, source: string, budget: ReadBudget, depth: number): Value[] {
  const items: Value[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'spread_element') {
      const inner = child.firstNamedChild;
      items.push({ kind: 'spread', of: inner ? readValue(inner, source, budget, depth) : unknown('...') });
    } else items.push(readValue(child, source, budget, depth));
  }
  return items;
}

function objectEntries(node: Node, source: string, budget: ReadBudget, depth: number): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair') {
      const key = propertyKey(child.childForFieldName('key'), source);
      const value = child.childForFieldName('value');
      if (key !== undefined && value) entries.push({ key, value: readValue(value, source, budget, depth) });
    } else if (child.type === 'shorthand_property_identifier') {
      entries.push({ key: child.text, value: { kind: 'ref', name: child.text } });
    } else if (child.type === 'spread_element') {
      const inner = child.firstNamedChild;
      entries.push({ spread: inner ? readValue(inner, source, budget, depth) : unknown('...') });
    }
  }
  return entries;
}

function propertyKey(node: Node | null, source: string): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return cooked(source, node.startIndex + 1, node.endIndex - 1);
  if (node.type === 'property_identifier' || node.type === 'number') return node.text;
  return undefined;
}

function callValue(node: Node, source: string, budget: ReadBudget, depth: number): Value {
  const callee = node.childForFieldName(node.type === 'new_expression' ? 'constructor' : 'function');
  const args = node.childForFieldName('arguments');
  if (!callee) return unknown('call');
  return {
    kind: 'call',
    callee: calleePath(source.slice(callee.startIndex, callee.endIndex)),
    args: args ? listItems(args, source, budget, depth + 1) : [],
  };
}
