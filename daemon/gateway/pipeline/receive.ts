import type { IncomingMessage } from 'node:http';
import { readBody } from '../http/body';
import { GatewayError } from '../http/errors';
import { parseJson } from '../../shared/json';
import type { ProxyCall } from './call';
import type { ProxyEndpoint } from './endpoints';
import type { ProxiedBody } from './request-schemas';

/** Reads and validates the request body, filling in what the call learns from it. */
export async function receive(req: IncomingMessage, call: ProxyCall, endpoint: ProxyEndpoint, maxBytes: number): Promise<ProxiedBody> {
  call.requestBody = await readBody(req, maxBytes);
  const body = validate(endpoint, call.requestBody);
  call.body = body;
  call.requestedModel = body.model;
  call.stream = body.stream === true;
  call.billed = endpoint.billed;
  return body;
}

function validate(endpoint: ProxyEndpoint, raw: Buffer): ProxiedBody {
  const json = parseJson(raw.toString('utf8'));
  if (json === undefined) {
    throw new GatewayError(400, 'caller_invalid_json', raw.length === 0 ? 'Request body is empty; expected a JSON object.' : 'Request body is not valid JSON.');
  }
  const result = endpoint.schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = issue.path.map(String).join('.');
  throw new GatewayError(400, 'caller_invalid_request', param ? `Invalid request: ${param}: ${issue.message}` : `Invalid request: ${issue.message}`, {
    ...(param ? { param } : {}),
  });
}
