import type { StatsResponse } from '../daemon/gateway/api/contracts';
import type { BucketColumns } from './bucket-columns';
import type { SeriesSpec } from './bucket-chart';

/** Theme colours for the stacked models, most expensive first; the rest share the last. */
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow'];
const OTHER = 'other models';

/**
 * Spend per bucket stacked by model: the most expensive models of the range each get a colour, the
 * rest are one "other" band. uPlot draws series in order, so each bar is the sum of its model and
 * every model after it, drawn largest first: what shows of it is its own share.
 */
export function modelStack(split: NonNullable<StatsResponse['byBucketModel']>): { key: string; series: SeriesSpec[] } {
  const totals = new Map<string, number>();
  for (const part of split) totals.set(part.model, (totals.get(part.model) ?? 0) + part.costUsd);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([model]) => model);
  const named = ranked.length <= PALETTE.length ? ranked : [...ranked.slice(0, PALETTE.length - 1), OTHER];
  const bandOf = (model: string): number => (named.includes(model) ? named.indexOf(model) : named.length - 1);
  const byStart = new Map<number, number[]>();
  for (const part of split) {
    const bands = byStart.get(part.start) ?? named.map(() => 0);
    bands[bandOf(part.model)]! += part.costUsd;
    byStart.set(part.start, bands);
  }
  const stackedFrom = (band: number) => (columns: BucketColumns) =>
    columns.starts.map((start) => (byStart.get(start) ?? []).slice(band).reduce((sum, value) => sum + value, 0));
  return {
    key: named.join('|'),
    series: named.map((model, band) => ({ label: model, axis: 'left' as const, color: PALETTE[band]!, bars: true, values: stackedFrom(band) })),
  };
}
