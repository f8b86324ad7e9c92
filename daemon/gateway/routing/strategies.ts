/**
 * Routing strategies: each orders an alias's targets for one call. The first target is tried
 * first; the rest are the fallback order. A strategy is a function in this table; the config
 * schema's `strategy` enum is derived from its keys.
 */
export interface WeightedTarget<T> {
  target: T;
  weight: number;
}

export interface StrategyInput<T> {
  targets: readonly WeightedTarget<T>[];
  /** Observed latency (ms, smoothed) of a target, if it has served calls. */
  latencyOf: (target: T) => number | undefined;
  random: () => number;
}

export type Strategy = <T>(input: StrategyInput<T>) => T[];

export const STRATEGIES = {
  /** In the configured order. */
  fallback: ({ targets }) => targets.map((t) => t.target),
  /** Weighted random first choice; the remaining targets follow, also by weight. */
  loadbalance: ({ targets, random }) => {
    const pool = [...targets];
    const order = [];
    while (pool.length > 0) {
      const total = pool.reduce((sum, t) => sum + t.weight, 0);
      let pick = random() * total;
      let index = pool.findIndex((t) => (pick -= t.weight) < 0);
      if (index === -1) index = pool.length - 1;
      order.push(pool.splice(index, 1)[0]!.target);
    }
    return order;
  },
  /**
   * Fastest observed first. A target with no observations yet goes first, so that every target
   * gets measured rather than the first fast one winning forever.
   */
  'least-latency': ({ targets, latencyOf }) =>
    [...targets]
      .map((t, index) => ({ t, index, latency: latencyOf(t.target) ?? -1 }))
      .sort((a, b) => a.latency - b.latency || a.index - b.index)
      .map(({ t }) => t.target),
} satisfies Record<string, Strategy>;

export type StrategyName = keyof typeof STRATEGIES;
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as [StrategyName, ...StrategyName[]];
