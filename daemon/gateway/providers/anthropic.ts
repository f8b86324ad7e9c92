import type { ProviderAdapter } from './types';

/**
 * Anthropic's own API, plus its OpenAI-compatible chat endpoint, so that an OpenAI SDK asking
 * for a claude-* model is served too. baseUrl is the host (https://api.anthropic.com).
 */
export const anthropic: ProviderAdapter = {
  paths: {
    messages: '/v1/messages',
    count_tokens: '/v1/messages/count_tokens',
    chat: '/v1/chat/completions',
    models: '/v1/models',
  },
  authHeaders: (apiKey) => ({ 'x-api-key': apiKey }),
  // The API rejects calls without a version; OpenAI-shaped callers do not know to send one.
  requiredHeaders: { 'anthropic-version': '2023-06-01' },
};
