import type { ProviderAdapter } from './types';

/**
 * Anthropic's own API. baseUrl is the host (https://api.anthropic.com). OpenAI-shaped chat calls
 * for a claude-* model are translated to /v1/messages (translate/), not sent to Anthropic's
 * OpenAI-compatible endpoint, which reports no cached tokens and takes no cache_control.
 */
export const anthropic: ProviderAdapter = {
  paths: {
    messages: '/v1/messages',
    count_tokens: '/v1/messages/count_tokens',
    models: '/v1/models',
  },
  authHeaders: (apiKey) => ({ 'x-api-key': apiKey }),
  // The API rejects calls without a version; OpenAI-shaped callers do not know to send one.
  requiredHeaders: { 'anthropic-version': '2023-06-01' },
};
