import { z } from 'zod';
import { STRATEGY_NAMES } from '../../routing/strategies';
import { budgetSchema } from './budgets';
import { targetName } from './common';
import { tiersSchema } from './routing';

const weightedTarget = z.strictObject({
  target: targetName,
  weight: z.number().positive().default(1).describe('Share of traffic under "loadbalance".'),
});

export const modelAliasSchema = z.strictObject({
  strategy: z
    .enum([...STRATEGY_NAMES, 'auto'])
    .default('fallback')
    .describe('"fallback": in order; "loadbalance": weighted random; "least-latency": fastest observed first; "auto": by complexity, to routing.tiers (targets not needed).'),
  targets: z.array(z.union([targetName, weightedTarget])).default([]).describe('"provider/model" targets serving this alias (at least one, unless the strategy is "auto").'),
  tiers: tiersSchema.optional().describe('With strategy "auto": where each tier goes for this alias, instead of routing.tiers.'),
  largerContext: targetName.optional().describe('Target to use when a prompt exceeds the context window of every target.'),
  budget: budgetSchema.optional(),
});
