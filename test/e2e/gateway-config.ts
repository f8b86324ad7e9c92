import type { ConfigInput } from '../../daemon/gateway/config/schema';
import type { FakeUpstream } from '../fixtures/fake-upstream';

export /** Both providers on the fake upstream, no keys (the suite adds one), and two aliases ("tiers"). */
function gatewayConfig(fake: FakeUpstream): ConfigInput {
  return {
    providers: [
      { id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [], modelPrefixes: ['gpt-', 'o1', 'o3', 'o4', 'text-embedding-'] },
      { id: 'anthropic', type: 'anthropic', baseUrl: fake.anthropicBaseUrl, apiKeys: [], modelPrefixes: ['claude-'] },
    ],
    models: {
      fast: { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'] },
      smart: { strategy: 'fallback', targets: ['openai/gpt-4o', 'anthropic/claude-sonnet-4-0'] },
    },
  };
}
