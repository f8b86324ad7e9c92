import type { ServerResponse } from 'node:http';
import { isSendableHeaderValue } from './header-value';

/**
 * One error type for everything the gateway itself refuses, rendered in the caller's API shape
 * so that SDKs raise their usual exceptions (openai.BadRequestError, anthropic.AuthenticationError…).
 *
 * The error class vocabulary is closed and says who is at fault: `caller_*` (fix the request),
 * `provider_*` (the upstream failed), `client_*` (the caller went away), `gateway_*` (our bug, or a stop
 * that cut the call).
 * The log, the stats and the retry policy all key on it.
 */
export type ErrorClass =
  | 'caller_invalid_json'
  | 'caller_invalid_request'
  | 'caller_unknown_provider'
  | 'caller_unsupported_endpoint'
  | 'caller_payload_too_large'
  | 'caller_headers_too_large'
  | 'caller_not_found'
  | 'caller_method_not_allowed'
  | 'caller_missing_key'
  | 'caller_key_mismatch'
  | 'caller_untranslatable'
  | 'caller_forbidden'
  | 'caller_bad_token'
  | 'caller_budget_exceeded'
  | 'caller_rejected_by_provider'
  | 'provider_auth_error'
  | 'provider_model_access'
  | 'provider_quota_exhausted'
  | 'provider_rate_limited'
  | 'provider_overloaded'
  | 'provider_server_error'
  | 'provider_context_exceeded'
  | 'provider_unreachable'
  | 'provider_reset'
  | 'provider_timeout'
  | 'provider_malformed_response'
  | 'provider_stream_interrupted'
  | 'client_disconnected'
  | 'gateway_no_key'
  | 'gateway_cache_miss'
  | 'gateway_shutdown'
  | 'gateway_internal';

/** Which error body the caller's SDK expects. */
export type ApiFlavor = 'openai' | 'anthropic';

export interface GatewayErrorOptions {
  param?: string;
  headers?: Record<string, string>;
  /** Extra fields for the error object (e.g. every problem of an invalid config). */
  details?: Record<string, unknown>;
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errorClass: ErrorClass,
    message: string,
    readonly options: GatewayErrorOptions = {},
  ) {
    super(message);
  }
}

/** Anything thrown while handling a request: ours as it is, anything else as our own bug (500). */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(500, 'gateway_internal', `Tollgate failed to handle the request: ${message}`);
}

/**
 * The one place an error response is written, for proxy and admin routes alike. A response that
 * has already started cannot change its status: it is cut, so the client sees a failure rather
 * than a silently short answer.
 */
export function sendError(res: ServerResponse, flavor: ApiFlavor, error: GatewayError, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = errorBody(flavor, error);
  const own = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // An oversized upload is not read to its end; closing is the only way to stop it.
    ...(error.errorClass === 'caller_payload_too_large' ? { connection: 'close' } : {}),
  };
  try {
    res.writeHead(error.status, { ...own, ...headers, ...error.options.headers });
  } catch {
    // Node threw on a header value (tollgateHeaders encodes every value built from input, so
    // this is a value nobody foresaw). The error answer must still go out: keep the headers
    // Node accepts. writeHead validates before it sends anything, so it can be called again.
    res.writeHead(error.status, { ...sendable({ ...headers, ...error.options.headers }), ...own });
  }
  res.end(body);
}

function sendable(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => isSendableHeaderValue(value)));
}

export function errorBody(flavor: ApiFlavor, error: GatewayError): string {
  if (flavor === 'anthropic') {
    return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(error.status), message: error.message, ...error.options.details } });
  }
  return JSON.stringify({
    error: {
      message: error.message,
      type: openaiErrorType(error.status),
      param: error.options.param ?? null,
      code: error.errorClass,
      ...error.options.details,
    },
  });
}

/** The `type` values Anthropic documents for each status. */
const ANTHROPIC_ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function anthropicErrorType(status: number): string {
  return ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
