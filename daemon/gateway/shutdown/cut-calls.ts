import type { ServerResponse } from 'node:http';

/**
 * Responses the gateway itself cut because it was stopping (ConnectionDrain at its deadline), so
 * that their log rows blame the gateway, not the client. A leaf module: the pipeline's record
 * stage reads it without depending on the shutdown code.
 */
const cut = new WeakSet<ServerResponse>();

export function markCutByShutdown(res: ServerResponse): void {
  cut.add(res);
}

export function wasCutByShutdown(res: ServerResponse): boolean {
  return cut.has(res);
}
