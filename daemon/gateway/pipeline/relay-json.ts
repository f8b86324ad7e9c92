import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../http/errors';
import { parseJson } from '../usage/types';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import { downstreamHeaders } from './headers';
import { priceCall, settleUsage } from './record';
import { classifyUpstreamStatus, upstreamErrorMessage } from './upstream-errors';
import type { Config } from '../config/schema';

/**
 * A non-streamed response: read it whole (usage is in the body, and the cost header must go
 * out before the body), then send the provider's status and bytes unchanged.
 */
export async function relayJson(
  call: ProxyCall,
  upstream: IncomingMessage,
  res: ServerResponse,
  endpoint: ProxyEndpoint,
  config: Config,
): Promise<void> {
  const body = await readUpstreamBody(upstream);
  call.response.add(body);
  const status = upstream.statusCode ?? 502;
  const headers = downstreamHeaders(upstream.headers, call);
  if (status < 400) {
    const parsed = parseJson(body.toString('utf8'));
    if (parsed === undefined) {
      call.errorClass = 'provider_malformed_response';
      call.errorMessage = 'The provider answered with a body that is not valid JSON';
    } else {
      call.facts = endpoint.usage.fromJson(parsed);
      if (call.facts.servedModel) headers['x-tollgate-model'] = call.facts.servedModel;
    }
    const usage = settleUsage(call, status);
    if (usage && call.billed) {
      call.price = priceCall(call, usage, config.pricing);
      headers['x-tollgate-cost-usd'] = call.price.known ? call.price.costUsd.toFixed(8) : 'unknown';
    } else if (!call.billed) {
      headers['x-tollgate-cost-usd'] = '0';
    }
  } else {
    call.errorClass = classifyUpstreamStatus(status);
    call.errorMessage = upstreamErrorMessage(body);
    headers['x-tollgate-cost-usd'] = '0';
  }
  if (call.cacheKey && status === 200 && call.errorClass === null) {
    const contentType = String(upstream.headers['content-type'] ?? 'application/json');
    call.cacheEntry = { key: call.cacheKey, expires: Date.now() + config.cache.ttlSeconds * 1000, status, contentType, body };
  }
  headers['content-length'] = body.length;
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(status, headers);
  res.end(body);
}

function readUpstreamBody(upstream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstream.once('end', () => resolve(Buffer.concat(chunks)));
    upstream.once('error', () => reject(midBodyReset()));
    upstream.once('aborted', () => reject(midBodyReset()));
  });
}

function midBodyReset(): GatewayError {
  return new GatewayError(502, 'provider_reset', 'The provider closed the connection in the middle of its response');
}
