import type { IncomingMessage } from 'node:http';
import { GatewayError } from './errors';

/**
 * DNS-rebinding and cross-site protection. The gateway binds 127.0.0.1 only, but a web page in
 * the user's browser can still reach loopback: through a rebound DNS name (wrong Host header)
 * or a plain cross-origin fetch (an Origin header from a non-loopback site). Both are refused.
 */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function checkLoopbackRequest(req: IncomingMessage): void {
  const host = req.headers.host;
  if (!host || !LOOPBACK_HOSTNAMES.has(hostnameOf(host))) {
    throw new GatewayError(
      403,
      'caller_forbidden',
      `Host "${host ?? ''}" is not a loopback name; Tollgate only answers requests addressed to 127.0.0.1 or localhost.`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    throw new GatewayError(403, 'caller_forbidden', `Requests from web origin "${origin}" are not allowed.`);
  }
}

/** Whether a URL hostname names this machine's loopback interface. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname);
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
  } catch {
    return false;
  }
}
