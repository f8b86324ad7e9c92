import type { IncomingMessage, ServerResponse } from 'node:http';
import { asGatewayError, sendError, type ApiFlavor } from './errors';

/**
 * For errors nobody expected: a bug, not a caller's mistake or a provider's failure (those are
 * GatewayErrors, answered where they happen). One caller's request must never end the daemon
 * that every editor window and terminal shares, so such an error is reported on stderr (the
 * daemon log, for a detached daemon) with the request it broke, and the request is answered
 * 500 in its caller's API shape.
 */
export function reportUnexpected(requestId: string | undefined, where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`tollgate: unexpected error in ${requestId ?? 'a request'} (${where}): ${detail}`);
}

/** The server's catch-all for a handler that failed without answering. Never throws. */
export function answerUnexpected(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  reportUnexpected(undefined, `${req.method} ${String(req.url).slice(0, 200)}`, error);
  try {
    sendError(res, flavorOf(req), asGatewayError(error));
  } catch {
    res.destroy();
  }
}

/** Anthropic's SDKs always send anthropic-version; OpenAI's never do. */
export function flavorOf(req: IncomingMessage): ApiFlavor {
  return req.headers['anthropic-version'] ? 'anthropic' : 'openai';
}
