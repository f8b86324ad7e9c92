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
