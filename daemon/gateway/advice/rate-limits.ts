import { formatCount } from '../cli/format';
import { MIN_CALLS, percent, seconds, share, type AdviceRule } from './rule';

/** A key refused this often is a bottleneck, not bad luck. */
const HIGH_429_RATE = 0.1;

/**
 * Keys whose attempts the provider refused with 429 (from every attempt of every call, fallbacks
 * included): each refusal is time spent before an answer, or a failed call. More keys spread the
 * load; a fallback target takes the calls the key cannot.
 */
export const rateLimitedKeys: AdviceRule = ({ facts, toMonth, waitMs }) =>
  facts.keys
    .filter((k) => k.attempts >= MIN_CALLS && k.rateLimited / k.attempts >= HIGH_429_RATE)
    .map((k) => {
      const name = k.key ? `${k.provider} key "${k.key}"` : `${k.provider} (every key resting)`;
      return {
        kind: 'rate-limits' as const,
        title: `Add a key or a fallback for ${k.provider}`,
        summary: `The provider refused ${percent(k.rateLimited, k.attempts)} of the attempts on ${name} with 429 (rate limited). Another key spreads the load; a fallback target serves the calls it cannot.`,
        evidence: [
          { label: 'Attempts', value: formatCount(k.attempts) },
          { label: 'Refused with 429', value: `${formatCount(k.rateLimited)} (${percent(k.rateLimited, k.attempts)})` },
          { label: 'Time spent on refused attempts', value: seconds(k.rateLimitedMs) },
        ],
        effect: { unit: 'seconds' as const, amount: (k.rateLimitedMs / 1000) * toMonth, per: 'month' as const },
        share: share(k.rateLimitedMs, waitMs),
        action: { command: 'tollgate.addProviderKey', label: `Add a key for ${k.provider}`, args: [k.provider] },
      };
    });
