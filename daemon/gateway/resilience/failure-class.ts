import { isRecord, parseJson } from '../../shared/json';
import type { ErrorClass } from '../http/errors';

/**
 * Every failed attempt is sorted into one class, here and nowhere else. The class decides what
 * the dispatcher does next (`next`), what happens to the key that was used (`rest`), and what
 * the log records (`errorClass`), so the log can never disagree with what the gateway did.
 *
 * Declared error codes and messages in the body win over the bare status, because providers
 * overload statuses: OpenAI answers both "slow down" and "out of credit" with 429, and 403 both
 * for a revoked key and for a model the key may not use; only the body tells them apart.
 */
export type FailureClass =
  /** The provider refused the request itself (a 4xx that is not about keys or limits): retrying cannot help. */
  | 'caller_error'
  /** The prompt does not fit this model's context window. */
  | 'context_exceeded'
  /** 401, or 403 naming the key as invalid or revoked: the key is wrong. */
  | 'credential'
  /** 403/404 for one model (model_not_found, no access to it): the key is fine for other models. */
  | 'model_access'
  /** No credit left on this key (OpenAI insufficient_quota, Anthropic low credit balance). */
  | 'quota_exhausted'
  /** 429 with a limit that resets. */
  | 'rate_limited'
  /** 503, 529 and friends: the provider is shedding load. */
  | 'overloaded'
  /** Other 5xx (and 409): the provider failed this time. */
  | 'server_error'
  /** Connect, first-byte or idle timeout, or the provider's own 408. */
  | 'timeout'
  /** Connection refused, DNS failure, host unreachable. */
  | 'unreachable'
  /** The connection was reset or dropped before the answer was complete. */
  | 'connection_reset';

export type NextStep = 'return' | 'next_key' | 'next_target' | 'larger_context';

/**
 * What happens to the key that met the failure. Keys the gateway holds keep this state across
 * calls; a caller's own key keeps it only for the call that failed (dispatch.ts).
 */
export type KeyRest =
  | 'none'
  /** Rests as long as the provider asked (Retry-After and reset headers), then serves again. */
  | 'cooldown'
  /** Off until the config changes: a wrong or spent key does not fix itself. */
  | 'disable'
  /** This key+model pair rests (MODEL_ACCESS_REST_MS); the key serves other models meanwhile. */
  | 'rest_model';

export interface FailurePolicy {
  next: NextStep;
  rest: KeyRest;
  errorClass: ErrorClass;
  /** Whether another try may succeed; such a failure is retried only for statuses in resilience.retryOn. */
  transient: boolean;
}

export const FAILURE_POLICY: Readonly<Record<FailureClass, FailurePolicy>> = {
  caller_error: { next: 'return', rest: 'none', errorClass: 'caller_rejected_by_provider', transient: false },
  context_exceeded: { next: 'larger_context', rest: 'none', errorClass: 'provider_context_exceeded', transient: false },
  credential: { next: 'next_key', rest: 'disable', errorClass: 'provider_auth_error', transient: false },
  model_access: { next: 'next_key', rest: 'rest_model', errorClass: 'provider_model_access', transient: false },
  quota_exhausted: { next: 'next_key', rest: 'disable', errorClass: 'provider_quota_exhausted', transient: false },
  rate_limited: { next: 'next_key', rest: 'cooldown', errorClass: 'provider_rate_limited', transient: true },
  overloaded: { next: 'next_target', rest: 'none', errorClass: 'provider_overloaded', transient: true },
  server_error: { next: 'next_target', rest: 'none', errorClass: 'provider_server_error', transient: true },
  timeout: { next: 'next_target', rest: 'none', errorClass: 'provider_timeout', transient: true },
  unreachable: { next: 'next_target', rest: 'none', errorClass: 'provider_unreachable', transient: true },
  connection_reset: { next: 'next_target', rest: 'none', errorClass: 'provider_reset', transient: true },
};

/** How long a key+model pair rests after the provider refused that key access to that model. */
export const MODEL_ACCESS_REST_MS = 5 * 60_000;

const CONTEXT_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);
const CONTEXT_MESSAGE = /context length|context window|prompt is too long|too many tokens|maximum.*tokens/i;
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);
const QUOTA_MESSAGE = /credit balance is too low|insufficient.quota|exceeded your current quota/i;
/** OpenAI invalid_api_key, Anthropic authentication_error; messages of revoked, disabled or malformed keys. */
const CREDENTIAL_CODES = new Set(['invalid_api_key', 'authentication_error', 'account_deactivated', 'invalid_organization']);
const CREDENTIAL_MESSAGE = /incorrect api key|invalid (x-)?api[-_ ]key|api key (is )?(invalid|revoked|disabled|expired)|invalid authentication|invalid bearer/i;
const MODEL_CODES = new Set(['model_not_found', 'model_not_available', 'unsupported_model']);
const MODEL_MESSAGE = /\bmodel\b/i;

/** Sorts an upstream answer with an error status. `body` may be empty (a stream's headers only). */
export function classifyStatus(status: number, body: Buffer): FailureClass {
  const { code, message } = errorFields(body);
  const says = (codes: ReadonlySet<string>, pattern: RegExp): boolean => (code !== undefined && codes.has(code)) || pattern.test(message);
  if ((status === 429 || status === 400 || status === 403) && says(QUOTA_CODES, QUOTA_MESSAGE)) return 'quota_exhausted';
  if ((status === 400 || status === 413) && says(CONTEXT_CODES, CONTEXT_MESSAGE)) return 'context_exceeded';
  if (status === 401) return 'credential';
  if (status === 403) return says(CREDENTIAL_CODES, CREDENTIAL_MESSAGE) ? 'credential' : 'model_access';
  if (status === 404) return says(MODEL_CODES, MODEL_MESSAGE) ? 'model_access' : 'caller_error';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  // 529: Anthropic overloaded_error; 498: Groq's flex tier out of capacity.
  if (status === 503 || status === 529 || status === 498) return 'overloaded';
  if (status >= 500 || status === 409) return 'server_error';
  return 'caller_error';
}

/** Sorts a failure that never produced an answer (the error classes providers/upstream.ts assigns). */
export function classifyTransportError(errorClass: ErrorClass): FailureClass {
  if (errorClass === 'provider_timeout') return 'timeout';
  if (errorClass === 'provider_reset') return 'connection_reset';
  return 'unreachable';
}

const MAX_MESSAGE = 500;

/** The human message inside an OpenAI- or Anthropic-shaped error body, for the log. */
export function upstreamErrorMessage(body: Buffer): string {
  const { message } = errorFields(body);
  const text = message || body.toString('utf8', 0, MAX_MESSAGE + 1);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** `error.code` (OpenAI) or `error.type` (Anthropic), and `error.message`, of an error body. */
function errorFields(body: Buffer): { code: string | undefined; message: string } {
  if (body.length === 0 || body.length > 64 * 1024) return { code: undefined, message: '' };
  const parsed = parseJson(body.toString('utf8'));
  const error = isRecord(parsed) && isRecord(parsed['error']) ? parsed['error'] : undefined;
  if (!error) return { code: undefined, message: '' };
  const code = typeof error['code'] === 'string' ? error['code'] : typeof error['type'] === 'string' ? error['type'] : undefined;
  return { code, message: typeof error['message'] === 'string' ? error['message'] : '' };
}
