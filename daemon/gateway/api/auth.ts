import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../http/errors';

/** Admin calls carry the daemon token as a Bearer token (or x-tollgate-token, for WebSocket clients that cannot set Authorization). */
export function checkAdminToken(req: IncomingMessage, token: string): void {
  const authorization = req.headers.authorization;
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7) : req.headers['x-tollgate-token'];
  if (typeof presented !== 'string' || !sameSecret(presented, token)) {
    throw new GatewayError(
      401,
      'caller_bad_token',
      presented ? 'Wrong Tollgate token.' : 'Admin endpoints need the Tollgate token (daemon.json in the data directory) as a Bearer token.',
    );
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
