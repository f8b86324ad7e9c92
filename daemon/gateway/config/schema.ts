import { z } from 'zod';
import { budgetSchema } from './sections/budgets';
import { batchingSchema, jobsSchema } from './sections/jobs';
import { modelAliasSchema } from './sections/models';
import { cacheSchema, loggingSchema, priceOverrideSchema, resilienceSchema, serverSchema, telemetrySchema } from './sections/operations';
import { defaultProviders, providerSchema } from './sections/providers';
import { routingSchema } from './sections/routing';

/**
 * The one schema for config.json. Everything else derives from it: the TypeScript types
 * (z.infer), the defaults, the error messages, and the JSON Schema that VS Code uses to
 * validate the file (generated at build time by scripts/gen-config-schema.ts).
 */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z
      .array(providerSchema)
      .min(1)
      .prefault(() => defaultProviders(process.env))
      .describe('Default: OpenAI and Anthropic, with OPENAI_API_KEY / ANTHROPIC_API_KEY when set.'),
    defaultProvider: z.string().optional().describe('Provider for models no prefix matches. Default: the first.'),
    models: z.record(z.string(), modelAliasSchema).default({}).describe('Model aliases: a name callers use, served by targets.'),
    budgets: budgetSchema.optional().describe('Spend limits for all traffic.'),
    routing: routingSchema.prefault({}).describe('Routing by complexity: model "auto" goes to a tier chosen by rules, then by the estimator.'),
    resilience: resilienceSchema.prefault({}),
    cache: cacheSchema.prefault({}),
    pricing: z
      .record(z.string(), priceOverrideSchema)
      .default({})
      .describe('Price overrides in USD per million tokens, keyed by "model" or "provider/model".'),
    logging: loggingSchema.prefault({}),
    telemetry: telemetrySchema.prefault({}).describe('Export of calls to OpenTelemetry (off by default).'),
    server: serverSchema.prefault({}),
    jobs: jobsSchema.prefault({}).describe('Deferred jobs: how many run at once, their default deadline, provider batches.'),
    batching: batchingSchema.prefault({}).describe('Calls folded into one upstream request (embeddings).'),
  })
  .superRefine(checkReferences);

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ProviderConfig = Config['providers'][number];
export type ApiKeyEntry = ProviderConfig['apiKeys'][number];
export type ModelAlias = Config['models'][string];
export type Budget = NonNullable<Config['budgets']>;

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
  const known = [...ids].join(', ');
  if (defaultProvider !== undefined && !ids.has(defaultProvider)) {
    ctx.addIssue({ code: 'custom', path: ['defaultProvider'], message: `no provider with id "${defaultProvider}" (known: ${known})` });
  }
  const checkTarget = (target: string, path: (string | number)[]): void => {
    const providerId = target.slice(0, target.indexOf('/'));
    if (!ids.has(providerId)) ctx.addIssue({ code: 'custom', path, message: `no provider with id "${providerId}" (known: ${known})` });
  };
  for (const [alias, { targets, largerContext, strategy }] of Object.entries(models)) {
    if (targets.length === 0 && strategy !== 'auto') ctx.addIssue({ code: 'custom', path: ['models', alias, 'targets'], message: 'needs at least one "provider/model" target (or "strategy": "auto")' });
    targets.forEach((target, index) => checkTarget(typeof target === 'string' ? target : target.target, ['models', alias, 'targets', index]));
    if (largerContext) checkTarget(largerContext, ['models', alias, 'largerContext']);
  }
  // A routing destination is an alias (not itself "auto"), a "provider/model", or a list of them.
  const checkDestination = (destination: string | string[], path: (string | number)[]): void => {
    if (Array.isArray(destination)) return destination.forEach((target, index) => checkTarget(target, [...path, index]));
    if (destination.includes('/') && !Object.hasOwn(models, destination)) return checkTarget(destination, path);
    if (Object.hasOwn(models, destination) && models[destination]!.strategy === 'auto') ctx.addIssue({ code: 'custom', path, message: `"${destination}" is itself routed by tier` });
  };
  const { routing } = config as unknown as Config;
  for (const [tier, destination] of Object.entries(routing.tiers)) if (destination !== undefined) checkDestination(destination, ['routing', 'tiers', tier]);
  for (const [alias, { tiers }] of Object.entries(models)) {
    for (const [tier, destination] of Object.entries(tiers ?? {})) if (destination !== undefined) checkDestination(destination, ['models', alias, 'tiers', tier]);
  }
  routing.rules.forEach((rule, index) => rule.model !== undefined && checkDestination(rule.model, ['routing', 'rules', index, 'model']));
}
