import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Writes a relayed answer to the client; when the client's buffer is full, stops reading from
 * the provider until it drains, so a slow client holds back the provider instead of filling
 * the gateway's memory. One drain listener at a time, however many chunks arrive meanwhile.
 */
export function pacedWriter(res: ServerResponse, upstream: IncomingMessage): (chunk: Buffer | string) => void {
  let waiting = false;
  const resume = (): void => {
    waiting = false;
    upstream.resume();
  };
  return (chunk) => {
    if (res.write(chunk) || waiting) return;
    waiting = true;
    upstream.pause();
    res.once('drain', resume);
  };
}
