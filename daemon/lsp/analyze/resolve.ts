import type { BindingItem } from '../extract/items';
import { MAX_PROMPT_CHARS, MAX_RESOLVE_DEPTH } from '../limits';
import type { Span } from '../syntax/spans';
import { hole, normaliseParts, text, type StringPart, type Value } from '../extract/value';
import { helperResult } from './helpers';

/**
 * Resolves names to the constants of the same file. Scoping is lexical and approximate: a name
 * refers to the binding of that name whose scope (block, function, class, module) encloses the
 * use, the innermost one first, the closest preceding declaration among equals. Parameters and
 * imports are not bindings, so a name bound only by them stays unknown (a hole), which is the
 * honest answer for a value decided at run time.
 */

/** Text or a hole: a string after resolution (no names left). */
export type Part = { kind: 'text'; text: string } | { kind: 'hole'; label: string };

export interface BindingAccess {
  valueOf(binding: BindingItem): Value;
  scopeOf(binding: BindingItem): Span;
  /** What a workspace module exports under a name (imports.ts); absent: imports stay unknown. */
  imported?(module: string, name: string): Value | undefined;
}

export class Resolver {
  /** Built on the first lookup: after most edits every site is cached and none is needed. */
  private index: Map<string, BindingItem[]> | undefined;
  /** Names looked up while this is set: what a prompt site depends on (see SiteCache). */
  lookups: Set<string> | undefined;

  constructor(
    private readonly bindings: () => Iterable<BindingItem>,
    private readonly access: BindingAccess,
  ) {}

  private byName(): Map<string, BindingItem[]> {
    if (!this.index) {
      this.index = new Map();
      for (const binding of this.bindings()) {
        const list = this.index.get(binding.name);
        if (list) list.push(binding);
        else this.index.set(binding.name, [binding]);
      }
    }
    return this.index;
  }

  /** The value bound to `name` as seen from offset `at`, or undefined. */
  lookup(name: string, at: number): Value | undefined {
    const binding = this.find(name, at);
    return binding && this.valueOf(binding);
  }

  /** The value of a binding found by find(); an import stands for what its module exports. */
  valueOf(binding: BindingItem): Value {
    const value = this.access.valueOf(binding);
    if (value.kind !== 'import') return value;
    return this.access.imported?.(value.module, value.name) ?? { kind: 'unknown', label: value.name };
  }

  /** The binding `name` refers to at offset `at`, or undefined. */
  find(name: string, at: number): BindingItem | undefined {
    this.lookups?.add(name);
    const candidates = this.byName().get(name);
    if (!candidates) return undefined;
    let best: { binding: BindingItem; scope: Span } | undefined;
    for (const binding of candidates) {
      if (at >= binding.span.start && at < binding.span.end) continue; // its own initialiser
      const scope = this.access.scopeOf(binding);
      if (at < scope.start || at > scope.end) continue;
      if (!best || isBetter(binding, scope, best, at)) best = { binding, scope };
    }
    return best?.binding;
  }
}

function isBetter(binding: BindingItem, scope: Span, best: { binding: BindingItem; scope: Span }, at: number): boolean {
  const width = scope.end - scope.start;
  const bestWidth = best.scope.end - best.scope.start;
  if (width !== bestWidth) return width < bestWidth;
  const before = binding.span.start <= at;
  const bestBefore = best.binding.span.start <= at;
  if (before !== bestBefore) return before;
  return before ? binding.span.start > best.binding.span.start : binding.span.start < best.binding.span.start;
}

/** Where a site is (for scoping) and how to look names up. */
export interface ResolveContext {
  resolver: Resolver;
  at: number;
}

/**
 * Follows names until a non-name value (or gives up and returns the name). A call of a helper
 * function of the file stands for what the helper returns.
 */
export function resolve(value: Value | undefined, context: ResolveContext, depth = 0): Value | undefined {
  let current = value;
  for (let step = depth; (current?.kind === 'ref' || current?.kind === 'call') && step < MAX_RESOLVE_DEPTH; step++) {
    const next = current.kind === 'ref' ? context.resolver.lookup(current.name, context.at) : helperResult(current, context.resolver, context.at);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The text of a string-like value: literal pieces and holes (unknown spans), adjacent text joined. */
export function stringParts(value: Value | undefined, context: ResolveContext, depth = 0): Part[] {
  const resolved = resolve(value, context, depth);
  if (!resolved) return [hole('?')] as Part[];
  if (resolved.kind === 'string') {
    const parts = normaliseParts(resolved.parts.flatMap((part) => partParts(part, context, depth))) as Part[];
    return depth === 0 ? capParts(parts) : parts;
  }
  if (resolved.kind === 'number') return [text(String(resolved.value))] as Part[];
  return [hole(describe(resolved))] as Part[];
}

function partParts(part: StringPart, context: ResolveContext, depth: number): StringPart[] {
  if (part.kind !== 'ref') return [part];
  if (depth >= MAX_RESOLVE_DEPTH) return [hole(part.name)];
  const target = resolve({ kind: 'ref', name: part.name }, context, depth + 1);
  if (target?.kind === 'string' || target?.kind === 'number') return stringParts(target, context, depth + 1);
  return [hole(part.name)];
}

/** Constants joined together can still exceed the cap on one literal: cut the total, too. */
function capParts(parts: Part[]): Part[] {
  let budget = MAX_PROMPT_CHARS;
  const out: Part[] = [];
  for (const part of parts) {
    if (part.kind === 'hole') out.push(part);
    else if (part.text.length <= budget) {
      out.push(part);
      budget -= part.text.length;
    } else {
      if (budget > 0) out.push({ kind: 'text', text: part.text.slice(0, budget) });
      out.push({ kind: 'hole', label: `${(part.text.length - budget).toLocaleString('en-US')} more characters` });
      budget = 0;
    }
  }
  return out;
}

/** The literal string a value resolves to, when it has no unknown part. */
export function literalString(value: Value | undefined, context: ResolveContext): string | undefined {
  if (!value) return undefined;
  const parts = stringParts(value, context);
  if (parts.length === 0) return '';
  return parts.length === 1 && parts[0]?.kind === 'text' ? parts[0].text : undefined;
}

export function literalNumber(value: Value | undefined, context: ResolveContext): number | undefined {
  const resolved = resolve(value, context);
  return resolved?.kind === 'number' && Number.isFinite(resolved.value) ? resolved.value : undefined;
}

/**
 * A property of an object value, looking through spreads (`{...base, model}`): later entries win,
 * as in JavaScript. 'unknown' when a spread that cannot be read might hold it.
 */
export function property(value: Value | undefined, key: string, context: ResolveContext, depth = 0): Value | 'unknown' | undefined {
  const resolved = resolve(value, context, depth);
  if (resolved?.kind !== 'object') return resolved ? 'unknown' : undefined;
  for (let index = resolved.entries.length - 1; index >= 0; index--) {
    const entry = resolved.entries[index];
    if (!entry) continue;
    if ('key' in entry) {
      if (entry.key === key) return entry.value;
      continue;
    }
    if (depth >= MAX_RESOLVE_DEPTH) return 'unknown';
    const inner = property(entry.spread, key, context, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Property lookup for callers that only care about a readable value. */
export function prop(value: Value | undefined, key: string, context: ResolveContext): Value | undefined {
  const found = property(value, key, context);
  return found === 'unknown' ? undefined : found;
}

/** Items of an array value with readable spreads expanded; `open` when some items are unknown. */
export function arrayItems(value: Value | undefined, context: ResolveContext, depth = 0): { items: Value[]; open: boolean } | undefined {
  const resolved = resolve(value, context, depth);
  if (resolved?.kind !== 'array') return undefined;
  const items: Value[] = [];
  let open = false;
  for (const item of resolved.items) {
    if (item.kind !== 'spread') {
      items.push(item);
      continue;
    }
    const inner = depth < MAX_RESOLVE_DEPTH ? arrayItems(item.of, context, depth + 1) : undefined;
    if (inner) {
      items.push(...inner.items);
      open ||= inner.open;
    } else open = true;
  }
  return { items, open };
}

export function describe(value: Value): string {
  switch (value.kind) {
    case 'ref':
      return value.name;
    case 'unknown':
      return value.label;
    case 'call':
      return `${value.callee}(…)`;
    default:
      return value.kind;
  }
}
