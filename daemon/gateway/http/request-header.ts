import type { IncomingHttpHeaders } from 'node:http';

/**
 * A request header's value, trimmed; '' when absent. Node joins a repeated header into one value
 * (", "); only set-cookie comes as a list, joined here the same way.
 */
export function requestHeader(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(', ') : value ?? '').trim();
}
