import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { classifyStatus, classifyTransportError, FAILURE_POLICY, upstreamErrorMessage, type FailureClass } from '../../daemon/gateway/resilience/failure-class';

const openai = (message: string, code: string | null, type = 'invalid_request_error'): string => JSON.stringify({ error: { message, type, param: null, code } });
const anthropic = (type: string, message: string): string => JSON.stringify({ type: 'error', error: { type, message } });

/** Error bodies as each provider shape sends them (OpenAI, Anthropic, Groq for OpenAI-compatible servers). */
const CASES: readonly [provider: string, status: number, body: string, expected: FailureClass][] = [
  ['openai', 401, openai('Incorrect API key provided: sk-proj-***abcd.', 'invalid_api_key'), 'credential'],
  ['openai', 403, openai('Project `proj_x` does not have access to model `gpt-4.1`', 'model_not_found'), 'model_access'],
  ['openai', 404, openai('The model `gpt-5-turbo` does not exist or you do not have access to it.', 'model_not_found'), 'model_access'],
  ['openai', 404, openai('Invalid URL (POST /v1/chat/complete)', null), 'caller_error'],
  ['openai', 429, openai('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'), 'quota_exhausted'],
  ['openai', 429, openai('Rate limit reached for gpt-4o on requests per min (RPM): Limit 500, Used 500, Requested 1.', 'rate_limit_exceeded', 'requests'), 'rate_limited'],
  ['openai', 400, openai("This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", 'context_length_exceeded'), 'context_exceeded'],
  ['openai', 400, openai("Invalid value for 'temperature': expected a number.", 'invalid_value'), 'caller_error'],
  ['openai', 403, openai('Your organization has been deactivated.', 'account_deactivated'), 'credential'],
  ['openai', 500, openai('The server had an error while processing your request.', null, 'server_error'), 'server_error'],
  ['openai', 503, openai('The engine is currently overloaded, please try again later', null, 'server_error'), 'overloaded'],
  ['openai', 408, '', 'timeout'],
  ['anthropic', 401, anthropic('authentication_error', 'invalid x-api-key'), 'credential'],
  ['anthropic', 403, anthropic('permission_error', 'Your API key does not have permission to use the specified resource.'), 'model_access'],
  ['anthropic', 404, anthropic('not_found_error', 'model: claude-opus-9'), 'model_access'],
  ['anthropic', 400, anthropic('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing.'), 'quota_exhausted'],
  ['anthropic', 400, anthropic('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'), 'context_exceeded'],
  ['anthropic', 400, anthropic('invalid_request_error', 'messages: roles must alternate between "user" and "assistant"'), 'caller_error'],
  ['anthropic', 413, anthropic('request_too_large', 'Request exceeds the maximum allowed number of bytes.'), 'caller_error'],
  ['anthropic', 429, anthropic('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), 'rate_limited'],
  ['anthropic', 529, anthropic('overloaded_error', 'Overloaded'), 'overloaded'],
  ['anthropic', 500, anthropic('api_error', 'Internal server error'), 'server_error'],
  ['groq', 401, openai('Invalid API Key', 'invalid_api_key'), 'credential'],
  ['groq', 404, openai('The model `llama-9` does not exist or you do not have access to it.', 'model_not_found'), 'model_access'],
  ['groq', 429, openai('Rate limit reached for model `llama-3.1-8b-instant` on tokens per minute (TPM): Limit 6000, Used 5900, Requested 300.', 'rate_limit_exceeded', 'tokens'), 'rate_limited'],
  ['groq', 498, openai('Flex tier capacity exceeded. This is a known issue.', 'capacity_exceeded'), 'overloaded'],
  ['groq', 502, '<html>Bad Gateway</html>', 'server_error'],
  ['any', 409, '', 'server_error'],
  ['any', 422, '{"detail":"unprocessable"}', 'caller_error'],
];

describe('failure classes: one decision for the dispatcher and the log', () => {
  for (const [provider, status, body, expected] of CASES) {
    it(`${provider} ${status} ${body.slice(0, 70)} → ${expected}`, () => {
      assert.equal(classifyStatus(status, Buffer.from(body)), expected);
    });
  }

  it('transport failures: timeouts, resets and unreachable hosts', () => {
    assert.equal(classifyTransportError('provider_timeout'), 'timeout');
    assert.equal(classifyTransportError('provider_reset'), 'connection_reset');
    assert.equal(classifyTransportError('provider_unreachable'), 'unreachable');
  });

  it('every class has a policy whose log class is a provider_* or caller_* class, and only key failures touch the key', () => {
    for (const [failure, policy] of Object.entries(FAILURE_POLICY)) {
      assert.match(policy.errorClass, /^(provider|caller)_/, failure);
      assert.equal(policy.rest !== 'none', ['credential', 'model_access', 'quota_exhausted', 'rate_limited'].includes(failure), failure);
    }
    assert.equal(new Set(Object.values(FAILURE_POLICY).map((p) => p.errorClass)).size, Object.keys(FAILURE_POLICY).length, 'classes are told apart in the log');
  });

  it('reads the human message of either error shape, and cuts long ones', () => {
    assert.equal(upstreamErrorMessage(Buffer.from(anthropic('overloaded_error', 'Overloaded'))), 'Overloaded');
    assert.equal(upstreamErrorMessage(Buffer.from('plain text failure')), 'plain text failure');
    assert.equal(upstreamErrorMessage(Buffer.from('x'.repeat(2000))).length, 501);
  });
});
