import { isRecord, parseJson } from '../../shared/json';

/**
 * Every failed attempt is sorted into one class, here and nowhere else; the class alone decides
 * what the dispatcher does next (see POLICY). Declared error codes in the body win over the bare
 * status, because providers overload statuses: OpenAI answers both "slow down" and "out of
 * credit" with 429, and only the second is hopeless to retry on the same key.
 */
export type FailureClass =
  /** The request itself is wrong (4xx other than 408/409/429): retrying cannot help. */
  | 'caller_fault'
  /** 429 with a limit that resets: cool the key down, use another now. */
  | 'rate_limited'
  /** No credit on this key (OpenAI insufficient_quota, Anthropic low credit balance). */
  | 'quota_exhausted'
  /** 401/403: the key is wrong or revoked; disable it until the config changes. */
  | 'credential'
  /** 5xx, 529, 408, 409: the provider is struggling; another target may not be. */
  | 'overloaded'
  /** Connect, first-byte or idle timeout. */
  | 'timeout'
  /** Refused, reset or dropped connection. */
  | 'connection'
  /** The prompt does not fit this model's context window. */
  | 'context_exceeded';

export type NextStep = 'return' | 'next_key' | 'next_target' | 'larger_context';

/** What each class means for the call in progress. */
export const POLICY: Readonly<Record<FailureClass, NextStep>> = {
  caller_fault: 'return',
  rate_limited: 'next_key',
  quota_exhausted: 'next_key',
  credential: 'next_key',
  overloaded: 'next_target',
  timeout: 'next_target',
  connection: 'next_target',
  context_exceeded: 'larger_context',
};

const CONTEXT_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);
const CONTEXT_MESSAGE = /context length|context window|prompt is too long|too many tokens|maximum.*tokens/i;
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);
const QUOTA_MESSAGE = /credit balance is too low|insufficient.quota|exceeded your current quota/i;

export function classifyStatus(status: number, body: Buffer, retryOn: readonly number[]): FailureClass {
  const { code, message } = errorFields(body);
  if (status === 429 || status === 400 || status === 403) {
    if ((code && QUOTA_CODES.has(code)) || QUOTA_MESSAGE.test(message)) return 'quota_exhausted';
  }
  if (status === 400 || status === 413) {
    if ((code && CONTEXT_CODES.has(code)) || CONTEXT_MESSAGE.test(message)) return 'context_exceeded';
  }
  if (status === 401 || status === 403) return 'credential';
  if (!retryOn.includes(status)) return 'caller_fault';
  return status === 429 ? 'rate_limited' : 'overloaded';
}

function errorFields(body: Buffer): { code: string | undefined; message: string } {
  if (body.length === 0 || body.length > 64 * 1024) return { code: undefined, message: '' };
  const parsed = parseJson(body.toString('utf8'));
  const error = isRecord(parsed) && isRecord(parsed['error']) ? parsed['error'] : undefined;
  const code = error && typeof error['code'] === 'string' ? error['code'] : error && typeof error['type'] === 'string' ? error['type'] : undefined;
  const message = error && typeof error['message'] === 'string' ? error['message'] : '';
  return { code, message };
}
