import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { MAX_VALUE_DEPTH } from '../limits';
import type { GrammarId } from '../syntax/grammars';
import { bindingItem, calleePath, captureOf, importItem, ReadBudget, spanOf, textOf, type Item, type SyntaxReader } from './items';
import { decodeJsEscapes, literalParts } from './strings';
import { concatenation, functionValue, listItems } from './shared-shapes';
import { hole, shortLabel, stringValue, unknown, type ObjectEntry, type StringPart, type Value } from './value';

const SPREAD = { type: 'spread_element', label: '...' };

/**
 * TypeScript, TSX and JavaScript (the three grammars share these node types).
 *
 * The query captures as little as it can: web-tree-sitter builds a JS object for every captured
 * node and evaluates text predicates (#any-of?) in JS, which together cost more than the query
 * itself on a large file. So calls are captured with their method name only and filtered here on
 * the source text; the callee's full path is checked later (analyze/patterns.ts), and a
 * constant's value is read only when a prompt refers to it.
 */
function query(grammar: GrammarId): string {
  const field = grammar === 'javascript' ? '(field_definition property:' : '(public_field_definition name:';
  // Default parameters are bindings: \`function ask(model = 'gpt-4o')\` prices calls in the body.
  const params =
    grammar === 'javascript'
      ? '(formal_parameters (assignment_pattern left: (identifier) @name right: (_)) @binding)'
      : '(required_parameter pattern: (identifier) @name value: (_)) @binding\n(optional_parameter pattern: (identifier) @name value: (_)) @binding';
  return `
(call_expression function: (member_expression property: (property_identifier) @method) arguments: (arguments)) @call
(call_expression function: (identifier) @method arguments: (arguments . [(object) (identifier)])) @call
(variable_declarator name: (identifier) @name value: (_)) @binding
(function_declaration name: (identifier) @name) @binding
(import_specifier name: (identifier) @name) @binding
${params}
${field} (property_identifier) @name value: (_)) @binding
`;
}

/** Method names of the calls that can be prompt sites (patterns.ts has the full paths). */
const CALL_NAMES = new Set(['create', 'stream', 'parse', 'fromMessages', 'fromTemplate', 'generateText', 'streamText', 'generateObject', 'streamObject']);

const SCOPE_TYPES = new Set(['statement_block', 'class_body', 'program', 'switch_body']);
const PARAMETER_TYPES = new Set(['required_parameter', 'optional_parameter', 'assignment_pattern']);
const FUNCTION_TYPES = new Set(['function_declaration', 'arrow_function', 'function_expression', 'function', 'method_definition']);
const TYPE_WRAPPERS = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'parenthesized_expression']);

export const jsReader: SyntaxReader = {
  querySource: query,

  itemFromMatch(match: QueryMatch, source: string): Item | undefined {
    const call = captureOf(match, 'call');
    const method = captureOf(match, 'method');
    if (call && method) return CALL_NAMES.has(textOf(method, source)) ? callItem(call, source) : undefined;
    const binding = captureOf(match, 'binding');
    const name = captureOf(match, 'name');
    if (!binding || !name) return undefined;
    if (binding.type === 'import_specifier') return importedName(binding, name, source);
    // Class fields are reached as this.name, never by the bare name.
    const bound = binding.type.endsWith('field_definition') ? `this.${textOf(name, source)}` : textOf(name, source);
    return bindingItem(binding, bound, source, jsReader);
  },

  valueNode(binding: Node): Node | null {
    if (binding.type === 'function_declaration') return binding;
    return binding.childForFieldName('value') ?? binding.childForFieldName('right');
  },

  readValue(node: Node, source: string): Value {
    return readValue(node, source, new ReadBudget(), 0);
  },

  scopeOf(node: Node): { start: number; end: number } {
    // A parameter is visible in its own function only.
    if (PARAMETER_TYPES.has(node.type)) {
      for (let current = node.parent; current; current = current.parent) if (FUNCTION_TYPES.has(current.type)) return spanOf(current);
    }
    for (let current = node.parent; current; current = current.parent) {
      if (SCOPE_TYPES.has(current.type)) return spanOf(current);
    }
    return { start: 0, end: Number.MAX_SAFE_INTEGER };
  },
};

/** `import { name as alias } from './module'`: the binding is the alias, its value the module's export. */
function importedName(specifier: Node, name: Node, source: string): Item | undefined {
  let statement = specifier.parent;
  while (statement && statement.type !== 'import_statement') statement = statement.parent;
  const from = statement?.childForFieldName('source');
  if (!from) return undefined;
  const alias = specifier.childForFieldName('alias');
  return importItem(specifier, textOf(alias ?? name, source), source.slice(from.startIndex + 1, from.endIndex - 1), textOf(name, source));
}

function callItem(call: Node, source: string): Item | undefined {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || !args) return undefined;
  const budget = new ReadBudget();
  return {
    kind: 'call',
    span: spanOf(call),
    callee: calleePath(source.slice(callee.startIndex, callee.endIndex)),
    args: listItems(args, source, budget, 1, readValue, SPREAD),
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
      return stringValue(literalParts(source, node.startIndex + 1, node.endIndex - 1, decodeJsEscapes));
    case 'template_string':
      return stringValue(templateParts(node, source));
    case 'number':
      return { kind: 'number', value: Number(source.slice(node.startIndex, node.endIndex).replace(/_/g, '')) };
    case 'identifier':
      return node.text === 'undefined' ? unknown('undefined') : { kind: 'ref', name: node.text };
    case 'member_expression':
      return memberValue(node, source);
    case 'binary_expression':
      return concatenation(node, source, budget, depth, readValue);
    case 'array':
      return { kind: 'array', items: listItems(node, source, budget, depth + 1, readValue, SPREAD) };
    case 'object':
      return { kind: 'object', entries: objectEntries(node, source, budget, depth + 1) };
    case 'call_expression':
    case 'new_expression':
      return callValue(node, source, budget, depth);
    case 'await_expression': {
      const inner = node.firstNamedChild;
      return inner ? readValue(inner, source, budget, depth + 1) : unknown(type);
    }
    case 'function_declaration':
    case 'function_expression':
    case 'function':
    case 'arrow_function':
      return functionValue(node.childForFieldName('body'), 'statement_block', source, budget, depth, readValue);
  }
  return unknown(shortLabel(source, node));
}

/** `this.systemPrompt` refers to a class field binding; other member paths are unknown. */
function memberValue(node: Node, source: string): Value {
  const path = source.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 200));
  return /^this\.[A-Za-z_$][\w$]*$/.test(path) ? { kind: 'ref', name: path } : unknown(shortLabel(source, node));
}

function templateParts(node: Node, source: string): StringPart[] {
  const parts: StringPart[] = [];
  let literalStart = node.startIndex + 1;
  for (const child of node.namedChildren) {
    if (child?.type !== 'template_substitution') continue;
    parts.push(...literalParts(source, literalStart, child.startIndex, decodeJsEscapes));
    parts.push(substitution(child, source));
    literalStart = child.endIndex;
  }
  parts.push(...literalParts(source, literalStart, node.endIndex - 1, decodeJsEscapes));
  return parts;
}

/** ${NAME} is resolved later (it may be a constant); any other expression is a hole. */
function substitution(node: Node, source: string): StringPart {
  const expression = node.firstNamedChild;
  if (!expression) return hole('${}');
  const inner = source.slice(expression.startIndex, Math.min(expression.endIndex, expression.startIndex + 200));
  if (expression.type === 'identifier' || /^this\.[A-Za-z_$][\w$]*$/.test(inner)) return { kind: 'ref', name: inner };
  return hole(`\${${shortLabel(source, expression)}}`);
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
  if (node.type === 'string') return decodeJsEscapes(source.slice(node.startIndex + 1, node.endIndex - 1));
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
    args: args ? listItems(args, source, budget, depth + 1, readValue, SPREAD) : [],
  };
}
