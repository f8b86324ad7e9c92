import type { ErrorClass } from '../http/errors';
import { isRecord, parseJson } from '../../shared/json';

/** How a provider's error status is logged; the client still gets the provider's own body. */
export function classifyUpstreamStatus(status: number): ErrorClass {
  if (status === 429) return 'provider_rate_limited';
  if (status === 401 || status === 403) return 'provider_auth_error';
  if (status >= 500) return 'provider_server_error';
  return 'provider_client_error';
}

const MAX_MESSAGE = 500;

/** The human message inside an OpenAI- or Anthropic-shaped error body, for the log. */
export function upstreamErrorMessage(body: Buffer): string {
  const parsed = parseJson(body.toString('utf8'));
  const error = isRecord(parsed) ? parsed['error'] : undefined;
  const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : body.toString('utf8');
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}
