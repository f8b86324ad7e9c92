import { isRecord } from '../../shared/json';

/**
 * JSON Merge Patch (RFC 7396), what PATCH /tollgate/v1/config takes: an object merges into the
 * target member by member, null removes a member, anything else (arrays included) replaces it.
 * `{"cache": {"enabled": true}}` turns the cache on and leaves the rest of the file as it was.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = mergePatch(result[name], value);
  }
  return result;
}
