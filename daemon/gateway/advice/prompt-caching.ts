import { priceUsage, type PriceQuery } from '../../pricing/price';
import { countTextTokens } from '../../pricing/tokens';
import { formatCount, formatUsd } from '../cli/format';
import type { AdviceItem } from '../api/advice-contracts';
import type { ReplayableCall } from '../store/whatif-queries';
import { promptPrefix } from './prompt-prefix';
import { ROUTING_SAMPLE } from './routing';
import { MONTH_MS, share, type AdviceContext, type AdviceRule } from './rule';

/** The shortest prefix OpenAI and Anthropic cache. */
export const MIN_PREFIX_TOKENS = 1024;
/** Calls sharing a prefix before it is a pattern of the code rather than a coincidence. */
const MIN_SHARING = 5;
/**
 * How long both providers keep a cached prefix without use (Anthropic's default TTL; OpenAI's
 * 5 to 10 minutes): a call within this of the previous call with its prefix would have read it.
 */
const CACHE_LIFETIME_MS = 5 * 60_000;

type SampledCall = ReplayableCall & { ts: number };

interface PrefixGroup {
  provider: string;
  model: string;
  /** Anthropic caches only what `cache_control` marks; OpenAI-type providers cache on their own. */
  marked: boolean;
  tokens: number;
  calls: SampledCall[];
}

/**
 * Calls of the window's newest sample (the routing advice's, bodies where kept) that repeat a
 * prefix of MIN_PREFIX_TOKENS or more within the cache's lifetime while the provider reported no
 * cached tokens: each would have read the prefix at the cached-input price. For Anthropic the
 * first call of each lifetime writes the cache at its (higher) write price, which is subtracted.
 */
export const promptCaching: AdviceRule = (context) => {
  const sample = context.routingSample();
  const groups = groupByPrefix(sample, context);
  const spanMs = sample.length < ROUTING_SAMPLE ? context.facts.observedMs : Math.max(1, context.facts.until - (sample.at(-1)?.ts ?? 0));
  const toMonth = MONTH_MS / spanMs;
  return [true, false].flatMap((marked) => {
    const mine = groups.filter((g) => g.marked === marked);
    const tallies = mine.map((g) => ({ group: g, ...tally(g, context) })).filter((t) => t.savedUsd > 0);
    if (tallies.length === 0) return [];
    return [advice(marked, tallies, { toMonth, sampled: sample.length, context })];
  });
};

function groupByPrefix(sample: readonly SampledCall[], { runtime }: AdviceContext): PrefixGroup[] {
  const parsed = sample.flatMap((call) => {
    const prefix = call.requestBody ? promptPrefix(call.requestBody) : undefined;
    return prefix ? [{ call, prefix, model: `${call.provider}/${call.servedModel}` }] : [];
  });
  const counts = new Map<string, number>();
  for (const { prefix, model } of parsed) for (const key of prefix.keys) counts.set(`${model} ${key}`, (counts.get(`${model} ${key}`) ?? 0) + 1);
  const groups = new Map<string, PrefixGroup>();
  for (const { call, prefix, model } of parsed) {
    // The longest prefix enough calls share: a shared system prompt followed by shared examples counts whole.
    let depth = prefix.keys.length;
    while (depth > 0 && (counts.get(`${model} ${prefix.keys[depth - 1]}`) ?? 0) < MIN_SHARING) depth--;
    if (depth === 0) continue;
    const id = `${model} ${prefix.keys[depth - 1]}`;
    let group = groups.get(id);
    if (!group) {
      const provider = runtime.providers.get(call.provider);
      const marked = provider?.type === 'anthropic' || call.endpoint === 'messages';
      const tokens = countTextTokens(prefix.texts.slice(0, depth).join('\n'), call.servedModel).tokens;
      groups.set(id, (group = { provider: call.provider, model: call.servedModel, marked, tokens, calls: [] }));
    }
    group.calls.push(call);
  }
  return [...groups.values()].filter((g) => g.tokens >= MIN_PREFIX_TOKENS && g.calls.length >= MIN_SHARING);
}

/** The reads and writes a prefix cache would have made on a group's uncached calls, and the net saving. */
function tally(group: PrefixGroup, { runtime }: AdviceContext): { hits: number; writes: number; savedUsd: number } {
  const provider = runtime.providers.get(group.provider);
  const query: PriceQuery = { pricingProvider: provider?.pricingId ?? group.provider, baseUrl: provider?.baseUrl, model: group.model, overrides: runtime.config.pricing };
  const price = (usage: { cacheReadTokens?: number; cacheWriteTokens?: number }): number | undefined => {
    const result = priceUsage({ inputTokens: group.tokens, outputTokens: 0, ...usage }, query);
    return result.known ? result.costUsd : undefined;
  };
  const full = price({});
  const read = price({ cacheReadTokens: group.tokens });
  const write = group.marked ? price({ cacheWriteTokens: group.tokens }) : full;
  if (full === undefined || read === undefined || write === undefined || read >= full) return { hits: 0, writes: 0, savedUsd: 0 };
  let hits = 0;
  let writes = 0;
  let previous = -Infinity;
  for (const call of [...group.calls].sort((a, b) => a.ts - b.ts)) {
    // A call the provider already served from its cache is not one to advise on.
    if (call.cachedTokens === 0) {
      if (call.ts - previous <= CACHE_LIFETIME_MS) hits++;
      else writes++;
    }
    previous = call.ts;
  }
  return { hits, writes, savedUsd: hits * (full - read) - writes * (write - full) };
}

interface Scale {
  toMonth: number;
  sampled: number;
  context: AdviceContext;
}

function advice(marked: boolean, tallies: { group: PrefixGroup; hits: number; savedUsd: number }[], { toMonth, sampled, context }: Scale): AdviceItem {
  tallies.sort((a, b) => b.savedUsd - a.savedUsd);
  const hits = tallies.reduce((sum, t) => sum + t.hits, 0);
  const savedUsd = tallies.reduce((sum, t) => sum + t.savedUsd, 0);
  const top = tallies[0]!.group;
  return {
    kind: 'prompt-caching',
    title: marked ? 'Mark the repeated prompt prefix with cache_control' : 'Keep the repeated prompt prefix identical and first',
    summary: marked
      ? `${formatCount(hits)} calls resent a prefix of ${formatCount(top.tokens)}+ tokens that an earlier call had sent minutes before, and the provider cached none of it: Anthropic caches only up to a cache_control mark, so mark the end of the shared system prompt and leading messages.`
      : `${formatCount(hits)} calls resent a prefix of ${formatCount(top.tokens)}+ tokens that an earlier call had sent minutes before, yet the provider reported no cached tokens: it caches prefixes of 1,024+ tokens by itself only when they are byte-identical and come first, so keep what varies (dates, ids, the question) after the shared part.`,
    evidence: [
      { label: 'Calls that would have read the cache', value: `${formatCount(hits)} of ${formatCount(sampled)} sampled (the newest calls of the window)` },
      { label: 'Shared prefixes', value: tallies.slice(0, 3).map((t) => `${formatCount(t.group.tokens)} tokens on ${t.group.provider}/${t.group.model} (${formatCount(t.group.calls.length)} calls)`).join(', ') },
      { label: 'Saved in the sample at the cached-input price', value: `${formatUsd(savedUsd)}${marked ? ', net of cache writes' : ''}` },
    ],
    effect: { unit: 'usd', amount: savedUsd * toMonth, per: 'month' },
    share: share(savedUsd * toMonth, context.costUsd * context.toMonth),
    action: null,
  };
}
