import type { ServerResponse } from 'node:http';
import type { AttemptResult } from '../resilience/attempt';
import { TopLevelFields } from '../usage/top-level-fields';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';
import { pacedWriter } from './paced-writer';
import { pumpUpstream } from './pump-upstream';

type LargeAnswer = Extract<AttemptResult, { kind: 'large' }>;

/** The members of an answer that carry its facts, in every supported API shape. */
const FACT_FIELDS = new Set(['model', 'usage']);

/**
 * A JSON answer too large to hold (attempt.ts BUFFER_LIMIT): relayed chunk by chunk as it
 * arrives, with the provider's headers and status, holding back from the provider while the
 * client is slow. Only the first logging.maxBodyBytes are kept for the log; the model and usage
 * are picked out of the bytes on the way through (they may come last). Its cost cannot go in a
 * header, which leaves before the usage arrives: it is in the log row. A body that breaks
 * midway is cut off, so the client's JSON parser fails rather than reading a short answer.
 */
export function relayLargeJson(call: ProxyCall, answer: LargeAnswer, res: ServerResponse, endpoint: ProxyEndpoint, idleMs: number): Promise<void> {
  const { response: upstream } = answer.open;
  const headers = downstreamHeaders(answer.headers, call);
  const length = answer.headers['content-length'];
  if (length !== undefined) headers['content-length'] = length;
  res.writeHead(answer.status, headers);
  const fields = new TopLevelFields(FACT_FIELDS);
  const write = pacedWriter(res, upstream);

  const forward = (chunk: Buffer): void => {
    answer.open.watch('idle', idleMs);
    call.response.add(chunk);
    fields.push(chunk);
    call.ttfbMs ??= performance.now() - call.t0;
    write(chunk);
  };

  return new Promise((resolve) => {
    const onEnd = (): void => {
      answer.open.unwatch();
      call.facts = endpoint.usage.fromJson(fields.asBody());
      res.end();
      resolve();
    };
    const onBroken = (): void => {
      answer.open.unwatch();
      if (res.writableEnded || res.destroyed) return resolve();
      const timedOut = answer.open.timedOut();
      call.errorClass = timedOut ? 'provider_timeout' : 'provider_reset';
      call.errorMessage = timedOut ? `The provider's answer stalled midway: ${timedOut.message}` : 'The provider closed the connection before its answer was complete';
      call.loggedStatus = timedOut ? 504 : 502;
      res.destroy();
      resolve();
    };
    for (const chunk of answer.head) forward(chunk);
    pumpUpstream(upstream, { forward, onEnd, onBroken });
  });
}
