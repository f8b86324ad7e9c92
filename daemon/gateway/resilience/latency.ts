/**
 * Smoothed time to first byte per target ("provider/model"), for the least-latency strategy.
 * An exponentially weighted mean reacts to a provider slowing down within a few calls while
 * ignoring one slow outlier.
 */
const WEIGHT = 0.2;

export class LatencyTracker {
  private readonly means = new Map<string, number>();

  observe(target: string, ms: number): void {
    const mean = this.means.get(target);
    this.means.set(target, mean === undefined ? ms : mean + WEIGHT * (ms - mean));
  }

  /** A failed attempt counts as slow, so that a failing target drifts to the back. */
  penalize(target: string, ms: number): void {
    this.observe(target, Math.max(ms, (this.means.get(target) ?? ms) * 2));
  }

  of(target: string): number | undefined {
    return this.means.get(target);
  }
}
