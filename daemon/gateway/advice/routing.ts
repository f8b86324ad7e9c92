import { formatCount, formatUsd } from '../cli/format';
import { routingWhatIf } from '../routing/what-if';
import { MIN_CALLS, MONTH_MS, percent, share, type AdviceRule } from './rule';

/** Calls to move before routing is worth setting up, and the least saving (of their cost) worth it. */
const MIN_MOVED = 5;
const MIN_SAVING = 0.05;

/**
 * The what-if report (routing/what-if.ts) over the window's newest calls: what they would have cost
 * as model "auto" under the routing tiers as configured. A sample keeps the answer fast on a long
 * log; its saving is scaled to a month by the time the sample spans.
 */
export const cheaperTiers: AdviceRule = ({ runtime, routingSample, facts, costUsd }) => {
  if (!Object.values(runtime.config.routing.tiers).some((destination) => destination !== undefined)) return [];
  const sample = routingSample();
  if (sample.length < MIN_CALLS) return [];
  const oldest = sample.at(-1)!.ts;
  // A sample that holds every call of the window spans the window as observed; a cut one, from its oldest call on.
  const spanMs = sample.length < ROUTING_SAMPLE ? facts.observedMs : Math.max(1, facts.until - oldest);
  let report;
  try {
    report = routingWhatIf(sample, runtime, { since: oldest, until: facts.until });
  } catch {
    return []; // a tier naming a target the config no longer resolves: nothing to advise on
  }
  const { totals } = report;
  const saving = -totals.differenceUsd;
  if (totals.moved < MIN_MOVED || saving <= 0 || saving < MIN_SAVING * totals.costUsd) return [];
  const monthly = saving * (MONTH_MS / spanMs);
  const movers = report.byModel.filter((m) => m.differenceUsd < 0).slice(0, 3);
  return [
    {
      kind: 'routing',
      title: 'Route simple prompts to a cheaper tier',
      summary: `Sent as model "auto", ${formatCount(totals.moved)} of the ${formatCount(totals.calls)} calls looked at would have gone to a cheaper model under your routing tiers, for ${percent(saving, totals.costUsd)} less.`,
      evidence: [
        { label: 'Calls looked at', value: `${formatCount(totals.calls)}${sample.length < ROUTING_SAMPLE ? ' (all in the window)' : ' (the newest)'}` },
        { label: 'Would move', value: `${formatCount(totals.moved)} (simple ${totals.byTier.simple}, medium ${totals.byTier.medium}, complex ${totals.byTier.complex}, reasoning ${totals.byTier.reasoning})` },
        { label: 'Cost as sent', value: formatUsd(totals.costUsd) },
        { label: 'Cost routed', value: formatUsd(totals.routedCostUsd) },
        ...(movers.length ? [{ label: 'Most saved on', value: movers.map((m) => `${m.model} (${formatUsd(-m.differenceUsd)})`).join(', ') }] : []),
      ],
      effect: { unit: 'usd', amount: monthly, per: 'month' },
      share: share(saving * (facts.observedMs / spanMs), costUsd),
      action: { command: 'tollgate.setRoutingStrategy', label: 'Set up routing', args: ['auto'] },
    },
  ];
};

/** How many of the newest calls the routing advice replays (each costs the estimator a parse). */
export const ROUTING_SAMPLE = 400;
