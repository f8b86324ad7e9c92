import type { ServerResponse } from 'node:http';
import type { Config } from '../config/schema';
import type { AttemptResult } from '../resilience/attempt';
import { parseJson } from '../../shared/json';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';
import { priceCall, settleUsage } from './record';
import { FAILURE_POLICY, upstreamErrorMessage, type FailureClass } from '../resilience/failure-class';

/**
 * A complete (non-streamed) answer: its usage is in the body, and the cost header goes out with
 * it; the client gets the provider's status and bytes unchanged.
 */
export function relayJson(
  call: ProxyCall,
  answer: { result: Extract<AttemptResult, { kind: 'complete' }>; failure: FailureClass | undefined },
  res: ServerResponse,
  endpoint: ProxyEndpoint,
  config: Config,
): void {
  const { result, failure } = answer;
  const { status, body } = result;
  call.response.add(body);
  // Facts first: the served model they name goes out in x-tollgate-model, with Tollgate's other headers.
  if (status < 400) readFacts(call, body, endpoint);
  const headers = downstreamHeaders(result.headers, call);
  if (status < 400) {
    const usage = settleUsage(call, status);
    if (usage && call.billed) {
      call.price = priceCall(call, usage, config.pricing);
      headers['x-tollgate-cost-usd'] = call.price.known ? call.price.costUsd.toFixed(8) : 'unknown';
    } else if (!call.billed) {
      headers['x-tollgate-cost-usd'] = '0';
    }
  } else {
    // The dispatcher classified this answer when it decided to return it; the log says the same.
    call.errorClass = FAILURE_POLICY[failure ?? 'caller_error'].errorClass;
    call.errorMessage = upstreamErrorMessage(body);
    headers['x-tollgate-cost-usd'] = '0';
  }
  if (call.cacheKey) call.cacheJson = body;
  headers['content-length'] = body.length;
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(status, headers);
  res.end(body);
}

function readFacts(call: ProxyCall, body: Buffer, endpoint: ProxyEndpoint): void {
  const parsed = parseJson(body.toString('utf8'));
  if (parsed === undefined) {
    call.errorClass = 'provider_malformed_response';
    call.errorMessage = 'The provider answered with a body that is not valid JSON';
    return;
  }
  call.facts = endpoint.usage.fromJson(parsed);
}
