import type { StatsResponse } from './contracts';

/**
 * Which calls have no known price and what to do about it, in one sentence that `tollgate stats`
 * and the usage panel both show: an unpriced call is missing from every spend figure and budget,
 * so saying nothing would let the totals look complete.
 */
export function unpricedSummary(byModel: StatsResponse['byModel']): string | undefined {
  const rows = byModel.filter((m) => m.unpricedRequests > 0).sort((a, b) => b.unpricedRequests - a.unpricedRequests);
  if (rows.length === 0) return undefined;
  const total = rows.reduce((sum, m) => sum + m.unpricedRequests, 0);
  const list = rows.map((m) => `${m.provider}/${m.model} (${m.unpricedRequests})`).join(', ');
  return (
    `${total} call${total === 1 ? '' : 's'} with no known price, not in the spend: ${list}. ` +
    'Neither the price table, the provider\'s base URL nor the model name identifies a price; add one under "pricing" in config.json (USD per million tokens).'
  );
}
