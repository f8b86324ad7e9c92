import type { ProviderAdapter } from './types';

/** OpenAI and every server that copies its API; baseUrl includes the version (…/v1). */
export const openaiCompatible: ProviderAdapter = {
  paths: {
    chat: '/chat/completions',
    embeddings: '/embeddings',
    responses: '/responses',
    models: '/models',
  },
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  requiredHeaders: {},
};
