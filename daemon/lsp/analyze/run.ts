import type { Point } from '@vscode/tree-sitter-wasm';
import type { Analysis, Slice } from './analysis';
import { cachedEstimate, type Estimate, type PricingOptions } from './estimate';
import type { PromptSite } from './site';

/**
 * Runs one analysis to completion in time slices: parse, query what changed, build the sites,
 * count and price them. Between slices it yields (so the server answers other requests) and
 * stops early when the text it works on is no longer current.
 */

export interface SiteResults {
  sites: PromptSite[];
  /** Same order as sites. */
  estimates: Estimate[];
}

export interface RunOptions {
  sliceMs: number;
  /** Lets the event loop run; the server uses setImmediate. */
  yieldNow(): Promise<void>;
  /** True when a newer text or setting exists: the run gives up and a new one starts. */
  stale(): boolean;
  pointAt(offset: number): Point;
  defaultModel: string;
  pricing: PricingOptions;
}

export async function runAnalysis(analysis: Analysis, source: string, options: RunOptions): Promise<SiteResults | undefined> {
  let slice = startSlice(options);
  while (!analysis.step(source, slice)) {
    await options.yieldNow();
    if (options.stale()) return undefined;
    slice = startSlice(options);
  }
  const sites = analysis.sites(source, options.defaultModel);
  const estimates: Estimate[] = [];
  for (const site of sites) {
    estimates.push(cachedEstimate(site, options.pricing));
    if (slice.due()) {
      await options.yieldNow();
      if (options.stale()) return undefined;
      slice = startSlice(options);
    }
  }
  return { sites, estimates };
}

function startSlice(options: RunOptions): Slice {
  const deadline = performance.now() + options.sliceMs;
  return {
    remainingMs: () => deadline - performance.now(),
    due: () => performance.now() > deadline,
    pointAt: (offset) => options.pointAt(offset),
  };
}

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
