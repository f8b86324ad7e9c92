import { bucketColumns } from './bucket-columns';
import { BucketChart, fromBucket } from './bucket-chart';
import { modelStack } from './model-stack';
import { el, replaceChildren } from './dom';
import { formatCount, formatMoney, formatMs } from './format';
import type { CurrencyFormat, RangeData, RangeName, WebviewToExtension } from './messages';
import { RangePicker } from './range-picker';

const ms = (v: number): string => (v >= 1000 ? `${v / 1000}s` : `${Math.round(v)}ms`);

/**
 * The picked range: its totals as the stats endpoint gives them, spend with latency over time, and
 * calls per bucket with the errors and cache hits among them. Charts start at the range's first
 * call, so a fresh day is not one bar at the right edge.
 */
export class RangeView {
  readonly element: HTMLElement;
  private readonly picker: RangePicker;
  private readonly summary = el('div', { id: 'range-summary' });
  private readonly empty = el('p', { class: 'muted', text: 'No calls in this range.' });
  private readonly spendBox = el('div', { class: 'chart', id: 'spend-chart' });
  private readonly callsBox = el('div', { class: 'chart', id: 'calls-chart' });
  private spendChart: BucketChart | undefined;
  /** The models the spend chart stacks: it is made again when they change. */
  private stackKey = '';
  private callsChart: BucketChart | undefined;
  private currency: CurrencyFormat = { code: 'USD', perUsd: 1 };
  /** The shown range's series by bucket start, read by the charts' series when they draw. */
  private series = new Map<number, RangeData['series']['byBucket'][number]>();

  constructor(onPick: (range: RangeName) => void, send: (message: WebviewToExtension) => void) {
    this.picker = new RangePicker(onPick, send);
    this.element = el('section', { id: 'range', attrs: { 'aria-label': 'Range' } }, [
      el('div', { class: 'range-head' }, [el('h2', { text: 'Over the last' }), this.picker.element]),
      this.summary,
      this.empty,
      el('h3', { text: 'Spend by model; latency p50 / p90 and time to first token' }),
      this.spendBox,
      el('h3', { text: 'Calls, errors, cache hits, 429s, fallbacks' }),
      this.callsBox,
    ]);
  }

  render(range: RangeName, data: RangeData | undefined, currency: CurrencyFormat): void {
    this.picker.render(range);
    this.currency = currency;
    // Figures of another range (a read still in flight) are not shown under this one's button.
    const shown = data?.range === range ? data : undefined;
    const totals = shown?.stats.totals;
    replaceChildren(this.summary, totals ? [
      el('span', { id: 'range-calls', text: `${formatCount(totals.requests)} calls` }),
      ' · ',
      el('span', { id: 'range-spend', text: formatMoney(totals.costUsd, currency) }),
      ` · ${formatCount(totals.errors)} errors · p50 ${formatMs(totals.latencyMs.p50)} · p90 ${formatMs(totals.latencyMs.p90)}`,
    ] : ['…']);
    const hasCalls = (totals?.requests ?? 0) > 0;
    this.empty.hidden = !shown || hasCalls;
    for (const box of [this.spendBox, this.callsBox]) {
      box.hidden = !hasCalls;
      (box.previousElementSibling as HTMLElement).hidden = !hasCalls;
    }
    if (!shown || !hasCalls) return;
    const columns = bucketColumns(shown.stats.byBucket, range === '30d' ? 'day' : 'hour', shown.at);
    this.series = new Map(shown.series.byBucket.map((b) => [b.start, b]));
    const fromSeries = (read: (b: RangeData['series']['byBucket'][number]) => number | null, empty: 0 | null) => (c: { starts: number[] }) =>
      c.starts.map((start) => {
        const b = this.series.get(start);
        return b ? read(b) : empty;
      });
    const stack = shown.stats.byBucketModel
      ? modelStack(shown.stats.byBucketModel)
      : { key: 'spend', series: [{ label: 'spend', axis: 'left' as const, color: '--vscode-charts-green', bars: true, values: fromBucket((b) => b.costUsd, 0) }] };
    if (stack.key !== this.stackKey) {
      this.spendChart?.dispose();
      this.spendChart = undefined;
      this.stackKey = stack.key;
    }
    this.spendChart ??= new BucketChart(this.spendBox, {
      left: (usd) => formatMoney(usd, this.currency),
      right: ms,
      series: [
        ...stack.series,
        { label: 'p50', axis: 'right', color: '--vscode-foreground', values: fromBucket((b) => b.latencyMs.p50, null) },
        { label: 'p90', axis: 'right', color: '--vscode-descriptionForeground', dash: [4, 3], values: fromBucket((b) => b.latencyMs.p90, null) },
        { label: 'TTFT p50 (streams)', axis: 'right', color: '--vscode-charts-purple', dash: [2, 2], values: fromSeries((b) => b.ttftMs.p50, null) },
      ],
    });
    this.callsChart ??= new BucketChart(this.callsBox, {
      left: (n) => formatCount(n),
      series: [
        { label: 'calls', axis: 'left', color: '--vscode-charts-blue', bars: true, values: fromBucket((b) => b.requests, 0) },
        { label: 'errors', axis: 'left', color: '--vscode-charts-red', values: fromBucket((b) => b.errors, 0) },
        { label: 'cache hits', axis: 'left', color: '--vscode-charts-green', values: fromBucket((b) => b.cache.hits + b.cache.semanticHits + b.cache.coalesced, 0) },
        { label: '429s', axis: 'left', color: '--vscode-charts-orange', values: fromSeries((b) => b.rateLimited, 0) },
        { label: 'fallbacks', axis: 'left', color: '--vscode-charts-yellow', dash: [4, 3], values: fromSeries((b) => b.fallbacks, 0) },
      ],
    });
    this.spendChart.update(columns);
    this.callsChart.update(columns);
  }
}
