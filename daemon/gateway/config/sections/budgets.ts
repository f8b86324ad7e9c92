import { z } from 'zod';

/** Spend limits, for all traffic or for one alias. */
export const budgetSchema = z
  .strictObject({
    dailyUsd: z.number().positive().optional().describe('Limit on spend per local calendar day.'),
    monthlyUsd: z.number().positive().optional().describe('Limit on spend per local calendar month.'),
    onLimit: z
      .enum(['block', 'downgrade'])
      .default('block')
      .describe('"block": refuse with a clear error; "downgrade": serve with downgradeTo instead.'),
    downgradeTo: z.string().optional().describe('Model or alias that serves calls once the limit is reached (onLimit: "downgrade").'),
    warnAt: z.number().min(0).max(1).default(0.8).describe('Fraction of a limit at which the gateway starts warning.'),
  })
  .refine((budget) => budget.onLimit !== 'downgrade' || budget.downgradeTo !== undefined, {
    message: 'onLimit "downgrade" needs downgradeTo',
    path: ['downgradeTo'],
  });
