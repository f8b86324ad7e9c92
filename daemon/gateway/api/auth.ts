import { randomBytes, timingSafeEqual } from 'node:crypto';
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

/** Long enough that guessing is hopeless; the generated token is "tg_" plus 32 random characters. */
export const MIN_TOKEN_LENGTH = 32;

/**
 * The daemon token: the one given (TOLLGATE_TOKEN), else a new random one. The token opens the
 * admin API and spends the keys Tollgate holds, so an empty or short one is refused outright:
 * `TOLLGATE_TOKEN=""` used to open the admin API to anyone who sent an empty Bearer token.
 */
export function daemonToken(given: string | undefined): string {
  if (given === undefined) return `tg_${randomBytes(24).toString('base64url')}`;
  if (given.length < MIN_TOKEN_LENGTH || new Set(given).size < 10) {
    throw new Error(
      `TOLLGATE_TOKEN must be at least ${MIN_TOKEN_LENGTH} random characters (it has ${given.length}${given.length ? `, ${new Set(given).size} distinct` : ''}). ` +
        'Unset it to let Tollgate generate one, or make one with: node -e "console.log(require(\'crypto\').randomBytes(24).toString(\'base64url\'))"',
    );
  }
  return given;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
