import { formatCount, formatUsd } from '../cli/format';
import { NEAR_DUPLICATE_SAMPLE } from './near-duplicate-sampler';
import { MONTH_MS, share, type AdviceRule } from './rule';

/** Reworded repeats in the sample before the semantic cache is worth its encoder. */
const MIN_HITS = 3;

/**
 * While the semantic cache is off: how many of the newest calls the local encoder finds near an
 * earlier call of the same scope (system prompt, model, parameters) at the configured threshold,
 * passing the guards, within the cache's TTL. The estimate is computed in the background
 * (near-duplicate-sampler.ts): until one is ready, this advice is absent.
 */
export const nearDuplicates: AdviceRule = ({ runtime, nearDuplicates: estimateOf, facts, costUsd, toMonth }) => {
  const { cache } = runtime.config;
  if (cache.semantic.enabled) return [];
  const estimate = estimateOf();
  if (!estimate || estimate.hits < MIN_HITS || estimate.usd <= 0) return [];
  // A sample that holds every call of the window spans the window as observed; a cut one, from its oldest call on.
  const spanMs = estimate.sampled < NEAR_DUPLICATE_SAMPLE ? facts.observedMs : estimate.spanMs;
  const monthly = estimate.usd * (MONTH_MS / spanMs);
  return [
    {
      kind: 'near-duplicates',
      title: 'Turn on the semantic cache',
      summary: `${formatCount(estimate.hits)} of ${formatCount(estimate.sampled)} sampled calls reworded an earlier question closely enough for the semantic cache (similarity ${estimate.threshold}, with its guards on numbers, names and negations) to have answered them locally.`,
      evidence: [
        { label: 'Near-duplicates in the sample', value: `${formatCount(estimate.hits)} of ${formatCount(estimate.sampled)} (a sample: the newest calls of the window the semantic cache could answer, embedded by the local encoder)` },
        { label: 'What they cost', value: formatUsd(estimate.usd) },
        { label: 'Sampled', value: new Date(estimate.computedAt).toISOString() },
      ],
      effect: { unit: 'usd', amount: monthly, per: 'month' },
      share: share(monthly, costUsd * toMonth),
      action: cache.enabled ? null : { command: 'tollgate.toggleCache', label: 'Turn on the cache', args: [true] },
    },
  ];
};
