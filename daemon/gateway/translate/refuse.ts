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
