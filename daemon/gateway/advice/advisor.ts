import type { AdviceResponse } from '../api/advice-contracts';
import type { BudgetStatusEntry } from '../api/contracts';
import type { RuntimeConfig } from '../config/runtime';
import type { AdviceQueries } from '../store/advice-queries';
import type { WhatIfQueries } from '../store/whatif-queries';
import { budgetsOnCourseToOverrun } from './budgets';
import { duplicateCalls } from './duplicates';
import type { NearDuplicateSampler } from './near-duplicate-sampler';
import { nearDuplicates } from './near-duplicates';
import { promptCaching } from './prompt-caching';
import { rateLimitedKeys } from './rate-limits';
import { cheaperTiers, ROUTING_SAMPLE } from './routing';
import { MONTH_MS, type AdviceContext, type AdviceRule } from './rule';
import { slowModels } from './slow-models';
import { unstreamedAnswers } from './streaming';

/** Every kind of advice the gateway gives; each is a pure function of the window's facts. */
const RULES: readonly AdviceRule[] = [duplicateCalls, nearDuplicates, cheaperTiers, rateLimitedKeys, slowModels, unstreamedAnswers, promptCaching, budgetsOnCourseToOverrun];

export interface AdvisorSources {
  advice: AdviceQueries;
  whatIf: WhatIfQueries;
  runtime: RuntimeConfig;
  budgets: readonly BudgetStatusEntry[];
  /** Absent where no encoder may run (the near-duplicate advice is then not given). */
  nearDuplicates?: NearDuplicateSampler;
}

/**
 * The ranked advice for [since, now]: the rollups of the window, each rule run over them, the
 * most effective first (by the share of spend, waiting or limit each would change).
 */
export function advise(sources: AdvisorSources, since: number, now = Date.now()): AdviceResponse {
  const facts = sources.advice.facts(since, now);
  const calls = facts.models.reduce((sum, m) => sum + m.requests, 0);
  // Read once however many rules sample it (routing and prompt caching both do).
  let sample: ReturnType<AdviceContext['routingSample']> | undefined;
  const context: AdviceContext = {
    facts,
    toMonth: MONTH_MS / facts.observedMs,
    calls,
    costUsd: facts.models.reduce((sum, m) => sum + m.costUsd, 0),
    waitMs: facts.models.reduce((sum, m) => sum + m.latencySumMs, 0),
    runtime: sources.runtime,
    budgets: sources.budgets,
    routingSample: () => (sample ??= sources.whatIf.latest(facts.since, now, ROUTING_SAMPLE)),
    nearDuplicates: () => sources.nearDuplicates?.estimate(facts.since, now, sources.runtime),
    now,
  };
  const advice = calls === 0 ? [] : RULES.flatMap((rule) => rule(context)).sort((a, b) => b.share - a.share);
  const pending = sources.nearDuplicates?.sampling ? (['near-duplicates'] as const) : [];
  return { since: facts.since, until: now, observedMs: facts.observedMs, calls, advice, pending: [...pending] };
}
