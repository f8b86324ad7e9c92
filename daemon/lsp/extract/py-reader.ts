import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { MAX_VALUE_DEPTH } from '../limits';
import { bindingItem, calleePath, captureOf, importItem, ReadBudget, spanOf, textOf, type Item, type SyntaxReader } from './items';
import { decodePythonEscapes, literalParts } from './strings';
import { concatenation, functionValue, listItems } from './shared-shapes';
import { hole, shortLabel, stringValue, unknown, type ObjectEntry, type StringPart, type Value } from './value';

const SPREAD = { type: 'list_splat', label: '*' };

/**
 * Python. Same items as JavaScript; keyword arguments are kept apart (model=…, messages=…), and
 * f-string fields are holes unless they name a constant. As in js-reader.ts, the query captures
 * few nodes and the method names are filtered here.
 */
const QUERY = `
(call function: (attribute attribute: (identifier) @method) arguments: (argument_list)) @call
(assignment left: (identifier) @name right: (_)) @binding
(function_definition name: (identifier) @name) @binding
(default_parameter name: (identifier) @name value: (_)) @binding
(typed_default_parameter name: (identifier) @name value: (_)) @binding
(import_from_statement name: (dotted_name) @name @binding)
(import_from_statement name: (aliased_import alias: (identifier) @name) @binding)
`;

const CALL_NAMES = new Set(['create', 'stream', 'parse', 'from_messages', 'from_template']);
const SCOPE_TYPES = new Set(['function_definition', 'class_definition', 'lambda', 'module']);

export const pyReader: SyntaxReader = {
  querySource: () => QUERY,

  itemFromMatch(match: QueryMatch, source: string): Item | undefined {
    const call = captureOf(match, 'call');
    const method = captureOf(match, 'method');
    if (call && method) return CALL_NAMES.has(textOf(method, source)) ? callItem(call, source) : undefined;
    const binding = captureOf(match, 'binding');
    const name = captureOf(match, 'name');
    if (!binding || !name) return undefined;
    if (binding.type === 'dotted_name' || binding.type === 'aliased_import') return importedName(binding, name, source);
    return bindingItem(binding, textOf(name, source), source, pyReader);
  },

  valueNode(binding: Node): Node | null {
    if (binding.type === 'function_definition') return binding;
    return binding.childForFieldName('right') ?? binding.childForFieldName('value');
  },

  readValue(node: Node, source: string): Value {
    return readValue(node, source, new ReadBudget(), 0);
  },

  scopeOf(node: Node): { start: number; end: number } {
    for (let current = node.parent; current; current = current.parent) {
      if (SCOPE_TYPES.has(current.type)) return current.type === 'module' ? { start: 0, end: Number.MAX_SAFE_INTEGER } : spanOf(current);
    }
    return { start: 0, end: Number.MAX_SAFE_INTEGER };
  },
};

/** `from .module import name as alias`: the binding is the alias, its value the module's export. */
function importedName(imported: Node, bound: Node, source: string): Item | undefined {
  const module = imported.parent?.childForFieldName('module_name');
  if (!module) return undefined;
  const name = imported.type === 'aliased_import' ? imported.childForFieldName('name') : imported;
  return name ? importItem(imported, textOf(bound, source), textOf(module, source), textOf(name, source)) : undefined;
}

function callItem(call: Node, source: string): Item | undefined {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || !args) return undefined;
  const { positional, keywords } = argumentList(args, source, new ReadBudget(), 1);
  return { kind: 'call', span: spanOf(call), callee: calleePath(source.slice(callee.startIndex, callee.endIndex)), args: positional, keywords };
}

function argumentList(node: Node, source: string, budget: ReadBudget, depth: number): { positional: Value[]; keywords: ObjectEntry[] } {
  const positional: Value[] = [];
  const keywords: ObjectEntry[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value) keywords.push({ key: name.text, value: readValue(value, source, budget, depth) });
    } else if (child.type === 'dictionary_splat') {
      const inner = child.firstNamedChild;
      keywords.push({ spread: inner ? readValue(inner, source, budget, depth) : unknown('**') });
    } else if (child.type === 'list_splat') {
      const inner = child.firstNamedChild;
      positional.push({ kind: 'spread', of: inner ? readValue(inner, source, budget, depth) : unknown('*') });
    } else positional.push(readValue(child, source, budget, depth));
  }
  return { positional, keywords };
}

function readValue(node: Node, source: string, budget: ReadBudget, depth: number): Value {
  if (!budget.spend() || depth > MAX_VALUE_DEPTH) return unknown('too large');
  switch (node.type) {
    case 'string':
      return stringValue(stringParts(node, source));
    case 'concatenated_string':
      return stringValue(node.namedChildren.flatMap((child) => (child?.type === 'string' ? stringParts(child, source) : [])));
    case 'integer':
    case 'float':
      return { kind: 'number', value: Number(node.text.replace(/_/g, '')) };
    case 'identifier':
      return { kind: 'ref', name: node.text };
    case 'parenthesized_expression': {
      const inner = node.firstNamedChild;
      return inner ? readValue(inner, source, budget, depth + 1) : unknown('()');
    }
    case 'binary_operator':
    case 'boolean_operator':
      return concatenation(node, source, budget, depth, readValue);
    case 'await': {
      const inner = node.firstNamedChild;
      return inner ? readValue(inner, source, budget, depth + 1) : unknown('await');
    }
    case 'function_definition':
      return functionValue(node.childForFieldName('body'), 'block', source, budget, depth, readValue);
    case 'lambda':
      return functionValue(node.childForFieldName('body'), 'block', source, budget, depth, readValue);
    case 'list':
    case 'tuple':
      return { kind: 'array', items: listItems(node, source, budget, depth + 1, readValue, SPREAD) };
    case 'dictionary':
      return { kind: 'object', entries: dictionaryEntries(node, source, budget, depth + 1) };
    case 'call':
      return callValue(node, source, budget, depth);
  }
  return unknown(shortLabel(source, node));
}

/**
 * A string literal's parts. The prefix (string_start: f, r, b, rb, …) decides whether escapes
 * are decoded and whether {fields} are interpolations.
 */
function stringParts(node: Node, source: string): StringPart[] {
  const start = node.firstChild;
  const end = node.lastChild;
  if (start?.type !== 'string_start' || end?.type !== 'string_end') return [hole(shortLabel(source, node))];
  const prefix = start.text.replace(/['"]/g, '').toLowerCase();
  const raw = prefix.includes('r');
  const formatted = prefix.includes('f');
  const decode = (chunk: string): string => {
    const value = raw ? chunk : decodePythonEscapes(chunk);
    return formatted ? value.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : value;
  };
  const literal = (from: number, to: number): StringPart[] => literalParts(source, from, to, decode);
  const parts: StringPart[] = [];
  let literalStart = start.endIndex;
  if (formatted) {
    for (const child of node.namedChildren) {
      if (child?.type !== 'interpolation') continue;
      parts.push(...literal(literalStart, child.startIndex), interpolation(child, source));
      literalStart = child.endIndex;
    }
  }
  parts.push(...literal(literalStart, end.startIndex));
  return parts;
}

/** {NAME} may be a constant; {x!r}, {x:>10} and expressions are holes. */
function interpolation(node: Node, source: string): StringPart {
  const expression = node.childForFieldName('expression');
  const plain = node.namedChildren.filter((child) => child?.type !== 'comment').length === 1;
  if (expression?.type === 'identifier' && plain) return { kind: 'ref', name: expression.text };
  return hole(shortLabel(source, node));
}

function dictionaryEntries(node: Node, source: string, budget: ReadBudget, depth: number): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const child of node.namedChildren) {
    if (child?.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      const keyValue = key && readValue(key, source, budget, depth);
      const keyText = keyValue?.kind === 'string' && keyValue.parts.length === 1 && keyValue.parts[0]?.kind === 'text' ? keyValue.parts[0].text : undefined;
      if (keyText !== undefined && value) entries.push({ key: keyText, value: readValue(value, source, budget, depth) });
    } else if (child?.type === 'dictionary_splat') {
      const inner = child.firstNamedChild;
      entries.push({ spread: inner ? readValue(inner, source, budget, depth) : unknown('**') });
    }
  }
  return entries;
}

function callValue(node: Node, source: string, budget: ReadBudget, depth: number): Value {
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!callee) return unknown('call');
  const list = args?.type === 'argument_list' ? argumentList(args, source, budget, depth + 1) : { positional: [], keywords: [] };
  const keywordArg: Value[] = list.keywords.length > 0 ? [{ kind: 'object', entries: list.keywords }] : [];
  return { kind: 'call', callee: calleePath(source.slice(callee.startIndex, callee.endIndex)), args: [...list.positional, ...keywordArg] };
}
