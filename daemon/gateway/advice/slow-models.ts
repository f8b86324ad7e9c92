import { formatCount, formatMs } from '../cli/format';
import type { AdviceItem } from '../api/advice-contracts';
import type { ModelFacts } from '../store/advice-queries';
import { percentile } from '../store/latency-histogram';
import { MIN_CALLS, seconds, share, type AdviceRule } from './rule';

/** "Far above": the model's p95 is at least this many times the alternative's. */
const SLOWER_BY = 2;

interface Measure {
  what: string;
  count: (m: ModelFacts) => number;
  sumMs: (m: ModelFacts) => number;
  histogram: (m: ModelFacts) => Uint32Array;
}

const MEASURES: readonly Measure[] = [
  { what: 'latency', count: (m) => m.requests, sumMs: (m) => m.latencySumMs, histogram: (m) => m.latency },
  { what: 'time to first token (streams)', count: (m) => m.streams, sumMs: (m) => m.ttftSumMs, histogram: (m) => m.ttft },
];

/**
 * Models whose p95 latency (or time to first token, for streams) is at least twice that of the
 * fastest other model in the log with enough calls. The saving is the difference in mean times the
 * model's calls, scaled to a month: what its callers would wait less on the alternative. One
 * advice per model, by the first measure that flags it.
 */
export const slowModels: AdviceRule = ({ facts, toMonth, waitMs }) => {
  const items: AdviceItem[] = [];
  const flagged = new Set<ModelFacts>();
  for (const measure of MEASURES) {
    const measured = facts.models
      .filter((m) => measure.count(m) >= MIN_CALLS)
      .map((m) => ({ m, p95: percentile(measure.histogram(m), 0.95)!, mean: measure.sumMs(m) / measure.count(m) }));
    for (const slow of measured) {
      if (flagged.has(slow.m)) continue;
      const fastest = measured.filter((o) => o !== slow).sort((a, b) => a.p95 - b.p95)[0];
      if (!fastest || slow.p95 < SLOWER_BY * fastest.p95 || slow.mean <= fastest.mean) continue;
      flagged.add(slow.m);
      const savedMs = measure.count(slow.m) * (slow.mean - fastest.mean);
      const name = `${slow.m.provider}/${slow.m.model}`;
      const other = `${fastest.m.provider}/${fastest.m.model}`;
      items.push({
        kind: 'slow-model',
        title: `Try ${other} where ${name} is slow`,
        summary: `${name}'s p95 ${measure.what} is ${(slow.p95 / fastest.p95).toFixed(1)}× that of ${other}. Where its answers are good enough, moving calls there cuts the wait.`,
        evidence: [
          { label: `${name} p95 / mean`, value: `${formatMs(slow.p95)} / ${formatMs(slow.mean)} over ${formatCount(measure.count(slow.m))} calls` },
          { label: `${other} p95 / mean`, value: `${formatMs(fastest.p95)} / ${formatMs(fastest.mean)} over ${formatCount(measure.count(fastest.m))} calls` },
          { label: 'Waiting that would be saved', value: seconds(savedMs) },
        ],
        effect: { unit: 'seconds', amount: (savedMs / 1000) * toMonth, per: 'month' },
        share: share(savedMs, waitMs),
        action: null,
      });
    }
  }
  return items;
};
