import { z } from 'zod';
import { STRATEGY_NAMES } from '../../routing/strategies';
import { budgetSchema } from './budgets';
import { targetName } from './common';

const weightedTarget = z.strictObject({
  target: targetName,
  weight: z.number().positive().default(1).describe('Share of traffic under "loadbalance".'),
});

export const modelAliasSchema = z.strictObject({
  strategy: z
    .enum(STRATEGY_NAMES)
    .default('fallback')
    .describe('"fallback": in order; "loadbalance": weighted random; "least-latency": fastest observed first.'),
  targets: z.array(z.union([targetName, weightedTarget])).min(1).describe('"provider/model" targets serving this alias.'),
  largerContext: targetName.optional().describe('Target to use when a prompt exceeds the context window of every target.'),
  budget: budgetSchema.optional(),
});
