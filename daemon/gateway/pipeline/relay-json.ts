import type { ServerResponse } from 'node:http';
import type { Config } from '../config/schema';
import type { AttemptResult } from '../resilience/attempt';
import { parseJson } from '../../shared/json';
import type { ProxyCall } from './call';
import { usageReaderOf, type ProxyEndpoint } from './endpoints';
import { errorBody, GatewayError } from '../http/errors';
import type { Translation } from '../translate/translation';
import type { UsageReader } from '../usage/types';
import { downstreamHeaders } from './headers';
import { priceCall, settleUsage } from './record';
import { FAILURE_POLICY, upstreamErrorMessage, type FailureClass } from '../resilience/failure-class';

/**
 * A complete (non-streamed) answer: its usage is in the body, and the cost header goes out with
 * it; the client gets the provider's status and bytes unchanged, or, when the provider speaks
 * another API (`translation`), the answer or error rewritten in the caller's.
 */
export function relayJson(
  call: ProxyCall,
  answer: { result: Extract<AttemptResult, { kind: 'complete' }>; failure: FailureClass | undefined; translation: Translation | undefined },
  res: ServerResponse,
  endpoint: ProxyEndpoint,
  config: Config,
): void {
  const { result, failure, translation } = answer;
  const { status } = result;
  // Facts first, from the provider's own answer: the served model they name goes out in
  // x-tollgate-model, with Tollgate's other headers.
  if (status < 400) readFacts(call, result.body, translation ? usageReaderOf(translation.wire) : endpoint.usage);
  const body = translation ? translatedBody(translation, result.body, status, endpoint, failure) : result.body;
  call.response.add(body);
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

function readFacts(call: ProxyCall, body: Buffer, usage: UsageReader): void {
  const parsed = parseJson(body.toString('utf8'));
  if (parsed === undefined) {
    call.errorClass = 'provider_malformed_response';
    call.errorMessage = 'The provider answered with a body that is not valid JSON';
    return;
  }
  call.facts = usage.fromJson(parsed);
}

/**
 * The provider's answer in the caller's API. An error keeps its status and message and takes
 * the caller's error shape, so the caller's SDK raises its usual exception. An answer that
 * cannot be read throws a 502 (after its usage was read: the provider was paid).
 */
function translatedBody(translation: Translation, body: Buffer, status: number, endpoint: ProxyEndpoint, failure: FailureClass | undefined): Buffer {
  if (status >= 400) {
    const error = new GatewayError(status, FAILURE_POLICY[failure ?? 'caller_error'].errorClass, upstreamErrorMessage(body) || `The provider answered HTTP ${status}`);
    return Buffer.from(errorBody(endpoint.flavor, error));
  }
  const parsed = parseJson(body.toString('utf8'));
  if (parsed === undefined) throw new GatewayError(502, 'provider_malformed_response', 'The provider answered with a body that is not valid JSON');
  return Buffer.from(JSON.stringify(translation.answer(parsed)));
}
