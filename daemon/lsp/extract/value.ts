/**
 * A language-neutral picture of the expressions the hint server reads: the arguments of an SDK
 * call and the constants they refer to. The TypeScript/JavaScript and Python readers produce
 * it; everything after (which SDK pattern, which messages, which model) works on Values only,
 * so one interpretation serves every language.
 *
 * Values carry no document offsets: cached ones stay valid however the text around them moves.
 */

/** A piece of a string: literal text, a name to resolve, or a span that cannot be known. */
export type StringPart = { kind: 'text'; text: string } | { kind: 'ref'; name: string } | { kind: 'hole'; label: string };

export type ObjectEntry = { key: string; value: Value } | { spread: Value };

export type Value =
  | { kind: 'string'; parts: StringPart[] }
  | { kind: 'number'; value: number }
  | { kind: 'array'; items: Value[] }
  | { kind: 'object'; entries: ObjectEntry[] }
  /** An identifier, resolved later against the file's constants. */
  | { kind: 'ref'; name: string }
  /** A call whose callee is a plain name or dotted path (openai('gpt-4o'), new MessagesPlaceholder(…)). */
  | { kind: 'call'; callee: string; args: Value[] }
  | { kind: 'spread'; of: Value }
  /**
   * `a ?? b`, `a || b`, `a or b`: the first option set at run time wins. Kept whole because a
   * model written as `process.env.MODEL ?? 'gpt-4o'` is priced by its literal fallback.
   */
  | { kind: 'fallback'; options: Value[] }
  /**
   * A function (declaration, arrow, Python def) as the value it returns: a helper that builds a
   * prompt. Its names are resolved in the function's own scope (analyze/helpers.ts).
   */
  | { kind: 'function'; returns: Value | undefined }
  /** A name imported from a module of the workspace (`import { x } from './m'`, `from .m import x`). */
  | { kind: 'import'; module: string; name: string }
  | { kind: 'unknown'; label: string };

export const text = (value: string): StringPart => ({ kind: 'text', text: value });
export const hole = (label: string): StringPart => ({ kind: 'hole', label });
export const unknown = (label: string): Value => ({ kind: 'unknown', label });
export const stringValue = (parts: StringPart[]): Value => ({ kind: 'string', parts });

/** Joins adjacent text parts, so "fixed text around the holes" is one piece. */
export function normaliseParts(parts: readonly StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = text(last.text + part.text);
    else out.push(part);
  }
  return out;
}

/** A short label for an expression that is not a value we can read, shown in hovers. */
export function shortLabel(source: string, node?: { startIndex: number; endIndex: number }): string {
  // Only the start is read: the expression may be a 2,000-line function.
  const head = node ? source.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 80)) : source.slice(0, 80);
  const oneLine = head.replace(/\s+/g, ' ').trim();
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}…` : oneLine;
}

/** A value used inside a string (concatenation, template field) as string parts. */
export function asParts(value: Value): StringPart[] {
  switch (value.kind) {
    case 'string':
      return value.parts;
    case 'ref':
      return [{ kind: 'ref', name: value.name }];
    case 'number':
      return [text(String(value.value))];
    default:
      return [hole(value.kind === 'unknown' ? value.label : value.kind)];
  }
}
