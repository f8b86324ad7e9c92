import { z } from 'zod';
import { DEFAULT_THRESHOLDS, TIERS } from '../../routing/complexity';
import { targetName } from './common';

/** What a tier sends to: an alias or "provider/model", or several targets tried in order. */
const tierDestination = z
  .union([z.string().min(1), z.array(targetName).min(1)])
  .describe('An alias, a "provider/model", or a list of "provider/model" targets tried in order.');

const regex = z.string().refine((pattern) => {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const ruleSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Shown in x-tollgate-route-reason.'),
    when: z
      .strictObject({
        tag: z.string().optional().describe('The x-tollgate-tag header equals this.'),
        pattern: regex.optional().describe('A regular expression (case-insensitive) found in the text `in` names.'),
        in: z.enum(['system', 'user', 'any']).default('any').describe('Where `pattern` looks: the system prompt, the last user message, or either.'),
        minTokens: z.number().int().nonnegative().optional().describe('The prompt has at least this many tokens (characters / 4).'),
        maxTokens: z.number().int().nonnegative().optional(),
        tools: z.boolean().optional().describe('The request defines tools (true) or none (false).'),
        images: z.boolean().optional().describe('The request carries images (true) or none (false).'),
        dailyBudgetUsedAbove: z.number().min(0).max(1).optional().describe('The global daily budget is used past this share (0.8 = 80 %).'),
      })
      .prefault({}),
    tier: z.enum(TIERS).optional().describe('Pin this tier.'),
    maxTier: z.enum(TIERS).optional().describe('Let the estimator choose, but no higher than this tier.'),
    model: z.string().min(1).optional().describe('Pin an alias or "provider/model".'),
  })
  .refine((rule) => [rule.tier, rule.maxTier, rule.model].filter((value) => value !== undefined).length === 1, {
    message: 'a rule sets exactly one of tier, maxTier or model',
  });

/** A destination per tier (an alias with strategy "auto" may carry its own). */
export const tiersSchema = z.strictObject(
  Object.fromEntries(TIERS.map((tier) => [tier, tierDestination.optional()])) as Record<(typeof TIERS)[number], z.ZodOptional<typeof tierDestination>>,
);

export const routingSchema = z.strictObject({
  tiers: tiersSchema
    .default({})
    .describe('Where each tier goes, for model "auto" and aliases with strategy "auto". A tier left out uses the next tier up that is set (else the next down).'),
  thresholds: z
    .strictObject({
      medium: z.number().default(DEFAULT_THRESHOLDS.medium),
      complex: z.number().default(DEFAULT_THRESHOLDS.complex),
      reasoning: z.number().default(DEFAULT_THRESHOLDS.reasoning),
    })
    .prefault({})
    .describe('Estimator points from which a prompt is medium, complex, reasoning (see x-tollgate-route-reason for a prompt\'s points).'),
  rules: z.array(ruleSchema).default([]).describe('Checked in order before the estimator; the first that matches decides.'),
});

export type RoutingConfig = z.output<typeof routingSchema>;
export type RoutingRule = RoutingConfig['rules'][number];
export type TierDestinations = z.output<typeof tiersSchema>;
