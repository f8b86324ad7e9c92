import { formatCount, formatUsd } from '../cli/format';
import { percent, seconds, share, type AdviceRule } from './rule';

/** Repeats of a call that had succeeded within the TTL: fewer than this is chance, not a pattern. */
const MIN_DUPLICATES = 5;

/**
 * Calls logged while the exact cache was off that repeated an earlier successful call within the
 * cache's TTL (store/advice-rollups.ts counts them as they are written): each would have been a
 * hit, free and immediate. Shown only while the cache is off: with it on, repeats are hits.
 */
export const duplicateCalls: AdviceRule = ({ facts, toMonth, calls, costUsd, runtime }) => {
  if (runtime.config.cache.enabled) return [];
  const models = facts.models.filter((m) => m.duplicates > 0).sort((a, b) => b.duplicateUsd - a.duplicateUsd);
  const count = models.reduce((sum, m) => sum + m.duplicates, 0);
  if (count < MIN_DUPLICATES) return [];
  const usd = models.reduce((sum, m) => sum + m.duplicateUsd, 0);
  const ms = models.reduce((sum, m) => sum + m.duplicateMs, 0);
  const priced = usd > 0;
  return [
    {
      kind: 'duplicates',
      title: 'Turn on the exact cache',
      summary: `${formatCount(count)} calls repeated an identical earlier call within the cache's TTL (${runtime.config.cache.ttlSeconds / 3600} h); the exact cache would have answered them locally, at no cost and without the wait.`,
      evidence: [
        { label: 'Repeated calls', value: `${formatCount(count)} of ${formatCount(calls)} (${percent(count, calls)})` },
        { label: 'What they cost', value: formatUsd(usd) },
        { label: 'Time spent waiting on them', value: seconds(ms) },
        { label: 'Most repeated on', value: models.slice(0, 3).map((m) => `${m.provider}/${m.model} (${formatCount(m.duplicates)})`).join(', ') },
      ],
      effect: priced ? { unit: 'usd', amount: usd * toMonth, per: 'month' } : { unit: 'seconds', amount: (ms / 1000) * toMonth, per: 'month' },
      share: share(usd, costUsd),
      action: { command: 'tollgate.toggleCache', label: 'Turn on the cache', args: [true] },
    },
  ];
};
