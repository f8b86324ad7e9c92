import { z } from 'zod';
import { PROVIDER_TYPES } from '../../providers/registry';
import { idPattern } from './common';

/** "env:NAME" reads the key from the environment at load time; anything else is the key itself. */
const secretReference = z
  .string()
  .min(1)
  .describe('A provider API key: "env:NAME" to read it from the environment, or the key itself.');

const keyLimits = {
  rpm: z.number().positive().optional().describe('Requests per minute this key may make; the gateway throttles below it.'),
  tpm: z.number().positive().optional().describe('Tokens per minute this key may use; the gateway throttles below it.'),
};

export const apiKeyEntry = z.union([
  secretReference,
  z.strictObject({
    alias: z.string().regex(idPattern).optional().describe('Name shown in logs and stats instead of the key. Default: "<provider>#<n>".'),
    value: secretReference,
    ...keyLimits,
  }),
]);

export const providerSchema = z.strictObject({
  id: z.string().regex(idPattern).describe('Used in "provider/model" names, logs and stats.'),
  type: z.enum(PROVIDER_TYPES).describe('Wire protocol: "openai" for any OpenAI-compatible API, "anthropic" for the Anthropic API.'),
  baseUrl: z.url({ protocol: /^https?$/ }).describe('API base, e.g. https://api.openai.com/v1 or https://api.anthropic.com'),
  apiKeys: z.array(apiKeyEntry).default([]).describe('Keys the gateway holds for this provider, used in turn.'),
  modelPrefixes: z.array(z.string().min(1)).default([]).describe('Model names starting with one of these are sent to this provider.'),
  pricingId: z.string().optional().describe('Provider id in the price table (@pydantic/genai-prices) when it differs from id.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Extra headers sent upstream on every call (e.g. OpenRouter attribution).'),
});

export function defaultProviders(env: NodeJS.ProcessEnv): z.input<typeof providerSchema>[] {
  return [
    {
      id: 'openai',
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKeys: env['OPENAI_API_KEY'] ? ['env:OPENAI_API_KEY'] : [],
      modelPrefixes: ['gpt-', 'o1', 'o3', 'o4', 'chatgpt-', 'codex-', 'text-embedding-', 'omni-moderation'],
    },
    {
      id: 'anthropic',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKeys: env['ANTHROPIC_API_KEY'] ? ['env:ANTHROPIC_API_KEY'] : [],
      modelPrefixes: ['claude-'],
    },
  ];
}
