import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { ProxyCall } from './call';
import { tollgateHeaders } from './headers';

/** `x-tollgate-route-dry-run: 1` (or true): say where the call would go, call nothing. */
export function isDryRun(headers: IncomingHttpHeaders): boolean {
  const value = headers['x-tollgate-route-dry-run'];
  return value === '1' || value === 'true';
}

/**
 * Answers a dry run with the routing decision as JSON: the tier, the first target, the rule that
 * decided (or null), the reason and the estimator's signals. The call is logged, unbilled, and
 * nothing is sent to a provider. A call that is not routed by complexity answers with tier null.
 */
export function answerDryRun(res: ServerResponse, call: ProxyCall): void {
  call.billed = false;
  const body = JSON.stringify({
    tier: call.route?.tier ?? null,
    target: `${call.provider}/${call.upstreamModel}`,
    rule: call.route?.rule ?? null,
    reason: call.route?.reason ?? null,
    signals: call.route?.signals ?? {},
  });
  call.response.add(Buffer.from(body));
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...tollgateHeaders(call), 'x-tollgate-cost-usd': '0' });
  res.end(body);
}
