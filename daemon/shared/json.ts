/**
 * JSON helpers every layer uses (request validation, usage readers, failure classes, the admin
 * API). A leaf: it imports nothing, so any module may depend on it without a cycle.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed value, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * JSON.stringify for values that came from JSON.parse, which cannot overflow the stack.
 * JSON.parse accepts any depth, JSON.stringify recurses and throws "Maximum call stack size
 * exceeded" at a few thousand levels, so a caller's deeply nested body would fail only when the
 * gateway re-serialises it. The common case costs one try; only a value that overflows is
 * written again by a loop with its own stack.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyDeep(value);
  }
}

/** What is left to write: a value, or a literal piece of text (separators, closing brackets). */
type Pending = { value: unknown } | { text: string };

/** JSON.stringify's output for JSON data (no functions, toJSON methods or cycles), iteratively. */
function stringifyDeep(root: unknown): string {
  const out: string[] = [];
  const pending: Pending[] = [{ value: root }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('text' in next) {
      out.push(next.text);
      continue;
    }
    const { value } = next;
    if (Array.isArray(value)) {
      out.push('[');
      pending.push({ text: ']' });
      // Pushed last to first, so they are written first to last; JSON.stringify writes null for undefined.
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push({ value: value[i] === undefined ? null : value[i] });
        if (i > 0) pending.push({ text: ',' });
      }
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).filter(([, field]) => field !== undefined);
      out.push('{');
      pending.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, field] = entries[i]!;
        pending.push({ value: field }, { text: `${JSON.stringify(key)}:` });
        if (i > 0) pending.push({ text: ',' });
      }
    } else {
      out.push(JSON.stringify(value) ?? 'null');
    }
  }
  return out.join('');
}

/**
 * Whether a parsed JSON value nests objects or arrays deeper than `limit` (a bare object is one
 * level). A loop with its own stack, so it answers for any depth JSON.parse accepted, before a
 * recursive walk meets it.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [node: unknown, depth: number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
