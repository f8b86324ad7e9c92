/**
 * What a provider's batch API takes off its realtime price, by pricing id: OpenAI's Batch API
 * and Anthropic's Message Batches both bill 50 % of the standard rates (their pricing pages,
 * 2026). config.json can override a provider's figure (jobs.batch.discounts).
 */
export const BATCH_DISCOUNTS: Readonly<Record<string, number>> = { openai: 0.5, anthropic: 0.5 };

/** The fraction taken off for this provider's batches: the config's figure, else the table's, else none. */
export function batchDiscount(pricingId: string, providerId: string, overrides: Readonly<Record<string, number>>): number {
  return overrides[providerId] ?? BATCH_DISCOUNTS[pricingId] ?? 0;
}
