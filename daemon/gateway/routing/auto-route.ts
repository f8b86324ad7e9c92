import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/schema';
import type { RoutingRule, TierDestinations } from '../config/sections/routing';
import type { EndpointKind } from '../endpoint-kind';
import { GatewayError } from '../http/errors';
import { estimateComplexity, promptFacts, TIERS, type Tier } from './complexity';
import { requestHeader } from '../http/request-header';

/** Where a call for "auto" goes, and why: what the headers, the log and a dry run show. */
export interface RouteDecision {
  tier: Tier;
  /** The alias, "provider/model" or target list the call is sent to. */
  destination: string | string[];
  /** The rule that decided, by name (or its position), or null. */
  rule: string | null;
  /** One line: what decided and on what evidence. */
  reason: string;
  signals: Record<string, number>;
}

/** Budget facts the rules may test; the caller computes them only when a rule asks. */
export type DailyBudgetUse = () => number | undefined;

/** True when the model name asks to be routed by complexity: "auto", or an alias whose strategy is "auto". */
export function isAutoRouted(config: Config, model: string): boolean {
  if (model === 'auto' && !Object.hasOwn(config.models, 'auto')) return true;
  return Object.hasOwn(config.models, model) && config.models[model]!.strategy === 'auto';
}

/**
 * The tier and destination of an auto-routed call, first match wins:
 * 1. the caller's `x-tollgate-route: tier:<tier>` or `model:<alias or provider/model>`;
 * 2. the config's rules, in order (a rule pins a tier or a model, or caps the estimator's tier);
 * 3. the complexity estimator (routing/complexity.ts).
 */
export function decideRoute(
  headers: IncomingHttpHeaders,
  request: { kind: EndpointKind; body: Record<string, unknown>; model: string },
  config: Config,
  dailyBudgetUse: DailyBudgetUse,
): RouteDecision {
  const { kind, body } = request;
  const routing = config.routing;
  const tiers = tiersFor(config, request.model);
  const estimate = estimateComplexity(kind, body, routing.thresholds);
  const explain = (tier: Tier, rule: string | null, why: string, destination?: string | string[]): RouteDecision => ({
    tier,
    destination: destination ?? destinationOf(tiers, tier),
    rule,
    reason: why,
    signals: estimate.signals,
  });

  const override = requestHeader(headers, 'x-tollgate-route');
  if (override) {
    const [kindOf, value] = [override.slice(0, override.indexOf(':')), override.slice(override.indexOf(':') + 1).trim()];
    if (kindOf === 'tier' && (TIERS as readonly string[]).includes(value)) return explain(value as Tier, null, `x-tollgate-route: tier:${value}`);
    if (kindOf === 'model' && value) return explain(estimate.tier, null, `x-tollgate-route: model:${value}`, value);
    throw new GatewayError(400, 'caller_invalid_request', `x-tollgate-route must be "tier:<${TIERS.join('|')}>" or "model:<alias or provider/model>", not "${override.slice(0, 80)}"`);
  }

  const facts = promptFacts(kind, body);
  for (const [index, rule] of routing.rules.entries()) {
    if (!ruleMatches(rule, headers, facts, body, dailyBudgetUse)) continue;
    const name = rule.name ?? `rules[${index}]`;
    if (rule.tier) return explain(rule.tier, name, `rule ${name}: tier ${rule.tier}`);
    if (rule.model) return explain(estimate.tier, name, `rule ${name}: model ${rule.model}`, rule.model);
    const capped = TIERS.indexOf(estimate.tier) > TIERS.indexOf(rule.maxTier!) ? rule.maxTier! : estimate.tier;
    return explain(capped, name, `rule ${name}: at most ${rule.maxTier}; ${describeEstimate(estimate.tier, estimate.score, estimate.reasoningScore, estimate.signals)}`);
  }
  return explain(estimate.tier, null, describeEstimate(estimate.tier, estimate.score, estimate.reasoningScore, estimate.signals));
}

function describeEstimate(tier: Tier, score: number, reasoningScore: number, signals: Record<string, number>): string {
  const top = Object.entries(signals)
    .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
    .slice(0, 3)
    .map(([name, points]) => `${name} ${points > 0 ? '+' : ''}${points}`);
  return `estimator: ${tier} (complexity ${score}, reasoning ${reasoningScore}${top.length ? `; ${top.join(', ')}` : ''})`;
}

function ruleMatches(rule: RoutingRule, headers: IncomingHttpHeaders, facts: ReturnType<typeof promptFacts>, body: Record<string, unknown>, dailyBudgetUse: DailyBudgetUse): boolean {
  const when = rule.when;
  if (when.tag !== undefined && requestHeader(headers, 'x-tollgate-tag') !== when.tag) return false;
  if (when.pattern !== undefined) {
    const pattern = new RegExp(when.pattern, 'i');
    const texts = when.in === 'system' ? [facts.system] : when.in === 'user' ? [facts.lastUser] : [facts.system, facts.lastUser];
    if (!texts.some((text) => pattern.test(text))) return false;
  }
  const tokens = Math.round(facts.allText.length / 4);
  if (when.minTokens !== undefined && tokens < when.minTokens) return false;
  if (when.maxTokens !== undefined && tokens > when.maxTokens) return false;
  const hasTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  if (when.tools !== undefined && hasTools !== when.tools) return false;
  if (when.images !== undefined && facts.images > 0 !== when.images) return false;
  if (when.dailyBudgetUsedAbove !== undefined) {
    const used = dailyBudgetUse();
    if (used === undefined || used <= when.dailyBudgetUsedAbove) return false;
  }
  return true;
}

/** The tiers a model name routes by: an "auto" alias's own, else routing.tiers. */
export function tiersFor(config: Config, model: string): TierDestinations {
  const alias = Object.hasOwn(config.models, model) ? config.models[model] : undefined;
  return alias?.tiers ?? config.routing.tiers;
}

/** The tier's destination; a tier left unset borrows the next one up that is set, else the next one down. */
export function destinationOf(tiers: TierDestinations, tier: Tier): string | string[] {
  const at = TIERS.indexOf(tier);
  const order = [...TIERS.slice(at), ...TIERS.slice(0, at).reverse()];
  for (const candidate of order) {
    const destination = tiers[candidate];
    if (destination !== undefined) return destination;
  }
  throw new GatewayError(400, 'caller_invalid_request', 'Model "auto" is routed by complexity, but routing.tiers maps no tier to a model. Map at least one (e.g. "simple": "openai/gpt-4o-mini").', { param: 'model' });
}

