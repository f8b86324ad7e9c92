import type { LatencyTracker } from '../resilience/latency';
import type { Resolution, Target } from './resolve';
import { STRATEGIES } from './strategies';

/** The resolution's targets in the order its strategy wants them tried for this call. */
export function orderTargets(resolution: Resolution, latency: LatencyTracker, random = Math.random): Target[] {
  if (resolution.targets.length < 2) return resolution.targets;
  return STRATEGIES[resolution.strategy]({
    targets: resolution.targets.map((target) => ({ target, weight: target.weight })),
    latencyOf: (target) => latency.of(`${target.provider.id}/${target.model}`),
    random,
  });
}
