import type { BindingItem } from '../extract/items';
import { MAX_RESOLVE_DEPTH, MAX_VALUE_NODES } from '../limits';
import { hole, type StringPart, type Value } from '../extract/value';

/**
 * Prompts built by helper functions of the same file: `messages: buildMessages(question)` or
 * `system: buildSystemPrompt()`. The call stands for the value the helper returns, with its
 * names resolved where they are written (the helper's own locals and the module's constants),
 * and its parameters left as unknown spans: the estimate is then a lower bound, as it should be
 * for text only known at run time.
 *
 * The result is closed (no names left), so the caller can go on reading it in its own scope.
 */

/** What helpers need from the Resolver (resolve.ts), kept narrow so this file stays a leaf. */
export interface BindingLookup {
  find(name: string, at: number): BindingItem | undefined;
  /** A binding's value, with an import replaced by what the module exports (closed), when it can be read. */
  valueOf(binding: BindingItem): Value;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/** A value with its names resolved as seen from `at` (for a value read out of another module). */
export function closedValue(value: Value, lookup: BindingLookup, at: number): Value {
  return close(value, { lookup, at, budget: { nodes: 0 }, depth: 0 });
}

/** What a call of a helper (of the file, or imported) returns, or undefined when the callee is not one. */
export function helperResult(call: Extract<Value, { kind: 'call' }>, lookup: BindingLookup, at: number, budget = { nodes: 0 }, depth = 0): Value | undefined {
  if (!PLAIN_NAME.test(call.callee) || depth >= MAX_RESOLVE_DEPTH) return undefined;
  const binding = lookup.find(call.callee, at);
  if (!binding) return undefined;
  const fn = lookup.valueOf(binding);
  if (fn.kind !== 'function' || !fn.returns) return undefined;
  // Inside the helper's body: its locals are in scope there and declared before its return.
  const inside = Math.max(binding.span.start, binding.span.end - 1);
  return close(fn.returns, { lookup, at: inside, budget, depth: depth + 1 });
}

interface Closing {
  lookup: BindingLookup;
  at: number;
  budget: { nodes: number };
  depth: number;
}

function close(value: Value, closing: Closing): Value {
  if (++closing.budget.nodes > MAX_VALUE_NODES) return { kind: 'unknown', label: 'too large' };
  switch (value.kind) {
    case 'ref':
      return closeRef(value.name, closing) ?? { kind: 'unknown', label: value.name };
    case 'string':
      return { kind: 'string', parts: value.parts.flatMap((part) => closePart(part, closing)) };
    case 'array':
      return { kind: 'array', items: value.items.map((item) => close(item, closing)) };
    case 'object':
      return { kind: 'object', entries: value.entries.map((entry) => ('key' in entry ? { key: entry.key, value: close(entry.value, closing) } : { spread: close(entry.spread, closing) })) };
    case 'spread':
      return { kind: 'spread', of: close(value.of, closing) };
    case 'fallback':
      return { kind: 'fallback', options: value.options.map((option) => close(option, closing)) };
    case 'call':
      return (
        helperResult(value, closing.lookup, closing.at, closing.budget, closing.depth) ?? { kind: 'call', callee: value.callee, args: value.args.map((arg) => close(arg, closing)) }
      );
    default:
      return value;
  }
}

/** A name as seen inside the helper: a local or a constant (closed in turn), else undefined (a parameter). */
function closeRef(name: string, closing: Closing): Value | undefined {
  if (closing.depth > MAX_RESOLVE_DEPTH) return undefined;
  const binding = closing.lookup.find(name, closing.at);
  if (!binding) return undefined;
  return close(closing.lookup.valueOf(binding), { ...closing, depth: closing.depth + 1 });
}

function closePart(part: StringPart, closing: Closing): StringPart[] {
  if (part.kind !== 'ref') return [part];
  const value = closeRef(part.name, closing);
  if (value?.kind === 'string') return value.parts;
  if (value?.kind === 'number') return [{ kind: 'text', text: String(value.value) }];
  return [hole(part.name)];
}
