import { GatewayError } from '../http/errors';

/**
 * A request field the other API has no place for. Translation never drops what the caller asked
 * for: it answers 400 naming the field, so the caller can remove it or pick a model whose
 * provider speaks their API.
 */
export function untranslatable(field: string, why: string, toApi: string): GatewayError {
  return new GatewayError(400, 'caller_untranslatable', `${field} cannot be sent to ${toApi}: ${why}`, { param: field });
}

export type Json = Record<string, unknown>;

/** True for absent fields and for the values that mean "off" (null, false, 0, empty). */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * A value as a caller may have sent it, named in an error message. Never String(value): an
 * array nested a hundred thousand deep makes Array.prototype.join overflow the stack.
 */
export function label(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 80) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** A text field of the caller's request: a string (absent is empty), else a 400 naming it. */
export function textField(value: unknown, at: string, toApi: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw untranslatable(at, `it must be a string, not ${label(value)}`, toApi);
}

/** A text field of the provider's answer: strings only (anything else is left out, never stringified). */
export function answerText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
