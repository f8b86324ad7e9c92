import uPlot from 'uplot';
import type { Aggregate } from '../daemon/gateway/api/contracts';
import type { BucketColumns } from './bucket-columns';

/** A series read from each bucket's totals; `empty` is its value in a bucket without calls (0, or null for a gap). */
export const fromBucket =
  (read: (bucket: Aggregate) => number | null, empty: 0 | null) =>
  (columns: BucketColumns): (number | null)[] =>
    columns.pick<number | null>(read, empty);

/** One line or bar series of a chart: what it reads from a bucket and how it looks. */
export interface SeriesSpec {
  label: string;
  /** Which y axis: the left ('left') or the right ('right'). */
  axis: 'left' | 'right';
  /** A --vscode-charts-* colour, so every theme (light, dark, high contrast) colours it. */
  color: string;
  bars?: boolean;
  dash?: number[];
  /** One value per bucket of the columns (see fromBucket). */
  values: (columns: BucketColumns) => (number | null)[];
}

export interface ChartSpec {
  series: SeriesSpec[];
  left: (value: number) => string;
  right?: (value: number) => string;
}

const themeColor = (name: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || 'currentColor';

/**
 * A uPlot chart over a range's buckets. Colours are read from the theme's variables when the chart
 * is made; the legend names the series only (values show in the panel's text, not at a cursor that
 * may be nowhere). Rebuilt when the bucket width changes, so bars fit their buckets.
 */
export class BucketChart {
  private plot: uPlot | undefined;
  private bucketMs = 0;
  /** The x range (seconds): half a bucket of room on each side, so the first and last bars are whole. */
  private xRange: [number, number] = [0, 1];
  private readonly observer: ResizeObserver;
  /** VS Code marks the theme's kind on the body's class; a change re-reads the colours. */
  private readonly themeObserver: MutationObserver;
  private data: uPlot.AlignedData | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly spec: ChartSpec,
  ) {
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(container);
    this.themeObserver = new MutationObserver(() => this.redraw());
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  update(columns: BucketColumns): void {
    const data: uPlot.AlignedData = [columns.x, ...this.spec.series.map((s) => s.values(columns))];
    const half = columns.bucketMs / 2000;
    this.xRange = [(columns.x[0] ?? 0) - half, (columns.x.at(-1) ?? 0) + half];
    this.data = data;
    if (this.plot && this.bucketMs === columns.bucketMs) {
      this.plot.setData(data);
      return;
    }
    this.bucketMs = columns.bucketMs;
    this.redraw();
  }

  dispose(): void {
    this.observer.disconnect();
    this.themeObserver.disconnect();
    this.plot?.destroy();
  }

  /** A new plot from the last data: the colours and sizes are read again. */
  private redraw(): void {
    if (!this.data) return;
    this.plot?.destroy();
    this.plot = new uPlot(this.options(), this.data, this.container);
  }

  private options(): uPlot.Options {
    const muted = themeColor('--vscode-descriptionForeground');
    const axis = { stroke: muted, grid: { stroke: themeColor('--vscode-editorWidget-border'), width: 1 }, ticks: { show: false } };
    const format = (f: (v: number) => string) => (_u: uPlot, v: number | null) => (v == null ? '–' : f(v));
    return {
      ...this.size(),
      legend: { show: true, live: false },
      cursor: { y: false },
      // Set from the buckets, not from the data's spread: with one bucket uPlot would pad by years.
      scales: {
        x: { time: true, range: () => this.xRange },
        left: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1e-9) * 1.1] },
        right: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1) * 1.1] },
      },
      series: [
        {},
        ...this.spec.series.map((s) => {
          const color = themeColor(s.color);
          return {
            label: s.label,
            scale: s.axis,
            stroke: color,
            width: s.bars ? 1 : 1.5,
            ...(s.bars ? { fill: `${color}55`, paths: uPlot.paths.bars!({ size: [0.7, 40] }) } : { points: { show: true, size: 4 } }),
            ...(s.dash ? { dash: s.dash } : {}),
            value: format(s.axis === 'left' ? this.spec.left : (this.spec.right ?? this.spec.left)),
          };
        }),
      ],
      axes: [
        { ...axis },
        { ...axis, scale: 'left', size: 56, values: (_u, ticks) => ticks.map((t) => this.spec.left(t)) },
        ...(this.spec.right ? [{ ...axis, scale: 'right', side: 1, size: 48, grid: { show: false }, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => this.spec.right!(t)) }] : []),
      ],
    };
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(this.container.clientWidth, 160), height: 150 };
  }
}
