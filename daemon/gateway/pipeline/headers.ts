import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ProxyCall } from './call';

/**
 * Headers that describe one hop, not the message (RFC 9110 §7.6.1), plus the caller's
 * credentials (replaced by the chosen key) and Tollgate's own control headers.
 */
const NOT_FORWARDED_UPSTREAM = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'authorization',
  'x-api-key',
  // Bodies are read to find usage; compression would only make the gateway inflate them.
  'accept-encoding',
  'origin',
  'referer',
  'cookie',
]);

const NOT_FORWARDED_DOWNSTREAM = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'trailer', 'upgrade']);

export function upstreamHeaders(
  incoming: IncomingHttpHeaders,
  providerHeaders: Readonly<Record<string, string>>,
  required: Readonly<Record<string, string>>,
  auth: Record<string, string>,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    if (NOT_FORWARDED_UPSTREAM.has(name) || name.startsWith('x-tollgate-')) continue;
    headers[name] = incoming[name];
  }
  for (const name in required) headers[name] ??= required[name];
  Object.assign(headers, providerHeaders, auth);
  headers['accept-encoding'] = 'identity';
  return headers;
}

/** The provider's response headers as the client should see them, plus Tollgate's. */
export function downstreamHeaders(upstream: IncomingHttpHeaders, call: ProxyCall): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (!NOT_FORWARDED_DOWNSTREAM.has(name)) headers[name] = upstream[name];
  }
  Object.assign(headers, tollgateHeaders(call));
  return headers;
}

export function tollgateHeaders(call: ProxyCall): Record<string, string> {
  const headers: Record<string, string> = {
    ...call.extraHeaders,
    'x-tollgate-request-id': call.id,
    'x-tollgate-cache': call.cache,
    'x-tollgate-attempts': String(call.attempts),
  };
  if (call.provider) headers['x-tollgate-provider'] = call.provider;
  const served = call.facts.servedModel ?? call.upstreamModel;
  if (served) headers['x-tollgate-model'] = served;
  return headers;
}
