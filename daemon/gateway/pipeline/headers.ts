import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { headerValue } from '../http/header-value';
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

/**
 * The provider's response headers as the client should see them, plus Tollgate's. The provider's
 * own values are safe to send on: Node's parser (llhttp) refused any with a control character,
 * and decoded the rest as Latin-1, which is what Node accepts on the way out.
 */
export function downstreamHeaders(upstream: IncomingHttpHeaders, call: ProxyCall): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (!NOT_FORWARDED_DOWNSTREAM.has(name)) headers[name] = upstream[name];
  }
  Object.assign(headers, tollgateHeaders(call));
  return headers;
}

/**
 * Tollgate's own response headers: the one place they are built. Values that come from the
 * caller or the provider (model names, the budget downgrade naming the requested model) pass
 * through headerValue, so no input can make Node throw while the response is written. The
 * request id, cache state and attempts are ours, and provider ids are checked by the config
 * schema (idPattern).
 */
export function tollgateHeaders(call: ProxyCall): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in call.extraHeaders) headers[name] = headerValue(call.extraHeaders[name]!);
  headers['x-tollgate-request-id'] = call.id;
  headers['x-tollgate-cache'] = call.cache;
  headers['x-tollgate-attempts'] = String(call.attempts);
  if (call.provider) headers['x-tollgate-provider'] = call.provider;
  if (call.route) {
    headers['x-tollgate-route-tier'] = call.route.tier;
    headers['x-tollgate-route-reason'] = headerValue(call.route.reason);
  }
  const served = call.facts.servedModel ?? call.upstreamModel;
  if (served) headers['x-tollgate-model'] = headerValue(served);
  return headers;
}
