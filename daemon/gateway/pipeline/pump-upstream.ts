import type { IncomingMessage } from 'node:http';

export interface PumpHandlers {
  forward(chunk: Buffer): void;
  /** The provider finished its answer. */
  onEnd(): void;
  /** The answer broke off (reset, timeout): it will never be complete. */
  onBroken(): void;
}

/**
 * Feeds the rest of a provider's answer to `forward` as it arrives (the relays of streams and
 * of large JSON answers), then says how it ended. A short answer may already have ended, or
 * broken, while its first bytes were being waited for.
 */
export function pumpUpstream(upstream: IncomingMessage, handlers: PumpHandlers): void {
  if (upstream.readableEnded) return handlers.onEnd();
  if (upstream.destroyed && !upstream.complete) return handlers.onBroken();
  upstream.on('data', handlers.forward);
  upstream.once('end', handlers.onEnd);
  upstream.once('error', () => handlers.onBroken());
  // A reset mid-answer shows up as 'close' without 'end' (and, on some Node versions, 'aborted').
  upstream.once('close', () => {
    if (!upstream.complete) handlers.onBroken();
  });
  upstream.resume();
}
