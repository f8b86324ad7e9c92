import { z } from 'zod';
import { PROVIDER_TYPES } from '../providers/registry';

/**
 * The one schema for config.json. Everything else derives from it: the TypeScript types
 * (z.infer), the defaults, the error messages, and the JSON Schema that VS Code uses to
 * validate the file (generated at build time by scripts/gen-config-schema.ts).
 */

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** "env:NAME" reads the key from the environment at load time; anything else is the key itself. */
const secretReference = z
  .string()
  .min(1)
  .describe('A provider API key: "env:NAME" to read it from the environment, or the key itself.');

const apiKeyEntry = z.union([
  secretReference,
  z.strictObject({
    alias: z
      .string()
      .regex(idPattern)
      .optional()
      .describe('Name shown in logs and stats instead of the key. Default: "<provider>#<n>".'),
    value: secretReference,
  }),
]);

const providerSchema = z.strictObject({
  id: z.string().regex(idPattern).describe('Used in "provider/model" names, logs and stats.'),
  type: z
    .enum(PROVIDER_TYPES)
    .describe('Wire protocol: "openai" for any OpenAI-compatible API, "anthropic" for the Anthropic API.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .describe('API base, e.g. https://api.openai.com/v1 or https://api.anthropic.com'),
  apiKeys: z.array(apiKeyEntry).default([]).describe('Keys the gateway holds for this provider.'),
  modelPrefixes: z
    .array(z.string().min(1))
    .default([])
    .describe('Model names starting with one of these are sent to this provider.'),
  pricingId: z
    .string()
    .optional()
    .describe('Provider id in the price table (@pydantic/genai-prices) when it differs from id.'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('Extra headers sent upstream on every call (e.g. OpenRouter attribution).'),
});

const modelAliasSchema = z.strictObject({
  targets: z
    .array(z.string().regex(/^[^/]+\/.+$/, 'must be "provider/model"'))
    .min(1)
    .describe('Ordered "provider/model" targets this alias is served by.'),
});

/** USD per million tokens, as providers publish them. */
const priceOverrideSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

const loggingSchema = z.strictObject({
  bodies: z.boolean().default(true).describe('Store request and response bodies.'),
  bodyRetentionDays: z.number().positive().default(7),
  requestRetentionDays: z.number().positive().default(90),
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(1_000_000)
    .describe('Stored bodies are cut at this size (the client still gets everything).'),
});

const serverSchema = z.strictObject({
  maxRequestBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024)
    .describe('Requests with a larger body are refused with 413.'),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z.array(providerSchema).min(1).prefault(defaultProviders),
    defaultProvider: z.string().optional().describe('Provider for models no prefix matches. Default: the first.'),
    models: z.record(z.string(), modelAliasSchema).default({}).describe('Model aliases.'),
    pricing: z
      .record(z.string(), priceOverrideSchema)
      .default({})
      .describe('Price overrides in USD per million tokens, keyed by "model" or "provider/model".'),
    logging: loggingSchema.prefault({}),
    server: serverSchema.prefault({}),
  })
  .superRefine(checkReferences);

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ProviderConfig = Config['providers'][number];
export type ApiKeyEntry = ProviderConfig['apiKeys'][number];
export type PriceOverride = Config['pricing'][string];

function defaultProviders(): z.input<typeof providerSchema>[] {
  return [
    {
      id: 'openai',
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKeys: process.env['OPENAI_API_KEY'] ? ['env:OPENAI_API_KEY'] : [],
      modelPrefixes: ['gpt-', 'o1', 'o3', 'o4', 'chatgpt-', 'codex-', 'text-embedding-', 'omni-moderation'],
    },
    {
      id: 'anthropic',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKeys: process.env['ANTHROPIC_API_KEY'] ? ['env:ANTHROPIC_API_KEY'] : [],
      modelPrefixes: ['claude-'],
    },
  ];
}

/** Cross-field rules zod cannot express per field: every name that refers to a provider must exist. */
function checkReferences(config: z.output<z.ZodObject>, ctx: z.RefinementCtx): void {
  const { providers, defaultProvider, models } = config as unknown as Config;
  const ids = new Set<string>();
  providers.forEach((provider, index) => {
    if (ids.has(provider.id)) {
      ctx.addIssue({ code: 'custom', path: ['providers', index, 'id'], message: `duplicate provider id "${provider.id}"` });
    }
    ids.add(provider.id);
  });
  if (defaultProvider !== undefined && !ids.has(defaultProvider)) {
    ctx.addIssue({ code: 'custom', path: ['defaultProvider'], message: `no provider with id "${defaultProvider}"` });
  }
  for (const [alias, { targets }] of Object.entries(models)) {
    targets.forEach((target, index) => {
      const providerId = target.slice(0, target.indexOf('/'));
      if (!ids.has(providerId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', alias, 'targets', index],
          message: `no provider with id "${providerId}" (known: ${[...ids].join(', ')})`,
        });
      }
    });
  }
}
