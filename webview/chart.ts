import uPlot from 'uplot';
import type { SeriesPoint } from './messages';

const HOUR_MS = 3_600_000;

/**
 * Spend per hour (bars, left axis) and p50/p90 latency (lines, right axis) over the last 24
 * hours. Hours without calls show no spend and a gap in latency.
 */
export class UsageChart {
  private plot: uPlot | undefined;
  private readonly observer: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly money: (usd: number) => string,
  ) {
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(container);
  }

  update(series: SeriesPoint[], now: number): void {
    const data = toColumns(series, now);
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const color = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
    const axis = { stroke: color('--vscode-descriptionForeground', '#888'), grid: { stroke: color('--vscode-editorWidget-border', '#8884'), width: 1 }, ticks: { show: false } };
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { show: true },
        cursor: { y: false },
        // Half an hour of room on each side, so the first and last bars are whole.
        scales: { x: { time: true, range: (_u, min, max) => [min - 1800, max + 1800] }, usd: { range: (_u, _min, max) => [0, Math.max(max, 0.0001)] }, ms: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1)] } },
        series: [
          {},
          { label: 'spend', scale: 'usd', stroke: color('--vscode-charts-green', '#4c4'), fill: `${color('--vscode-charts-green', '#4c4')}33`, paths: uPlot.paths.bars!({ size: [0.7, 24] }), value: (_u, v) => (v == null ? '–' : this.money(v)) },
          { label: 'p50', scale: 'ms', stroke: color('--vscode-charts-blue', '#48f'), width: 1.5, points: { show: true, size: 5 }, value: (_u, v) => (v == null ? '–' : `${Math.round(v)} ms`) },
          { label: 'p90', scale: 'ms', stroke: color('--vscode-charts-orange', '#f84'), width: 1, dash: [4, 3], points: { show: true, size: 4 }, value: (_u, v) => (v == null ? '–' : `${Math.round(v)} ms`) },
        ],
        axes: [
          { ...axis },
          { ...axis, scale: 'usd', size: 56, values: (_u, ticks) => ticks.map((t) => this.money(t)) },
          { ...axis, scale: 'ms', side: 1, size: 48, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => (t >= 1000 ? `${t / 1000}s` : `${t}ms`)) },
        ],
      },
      data,
      this.container,
    );
  }

  dispose(): void {
    this.observer.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(this.container.clientWidth, 160), height: 150 };
  }
}

/** 24 hourly slots ending with the current hour; uPlot wants seconds on the time axis. */
function toColumns(series: SeriesPoint[], now: number): uPlot.AlignedData {
  const byHour = new Map(series.map((p) => [Math.floor(p.start / HOUR_MS), p]));
  const lastHour = Math.floor(now / HOUR_MS);
  const xs: number[] = [];
  const cost: (number | null)[] = [];
  const p50: (number | null)[] = [];
  const p90: (number | null)[] = [];
  for (let hour = lastHour - 23; hour <= lastHour; hour++) {
    const point = byHour.get(hour);
    xs.push((hour * HOUR_MS) / 1000);
    cost.push(point ? point.costUsd : 0);
    p50.push(point?.p50 ?? null);
    p90.push(point?.p90 ?? null);
  }
  return [xs, cost, p50, p90];
}
