import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Budget, Config } from '../daemon/gateway/config/schema';
import { STRATEGY_NAMES, type StrategyName } from '../daemon/gateway/routing/strategies';
import { TIERS } from '../daemon/gateway/routing/complexity';
import type { GatewayApi } from './gateway-api';
import { editConfig, required } from './config-edit';
import { log } from './log';
import type { Services } from './services';

/**
 * Routing, budget and cache commands. Each takes optional arguments that skip its prompts (for
 * keybindings, other extensions and the extension-host tests); without them it asks.
 */

const STRATEGY_HELP: Record<StrategyName, string> = {
  fallback: 'Targets in order; the next one when a call fails',
  loadbalance: 'Weighted random choice among the targets',
  'least-latency': 'The fastest target observed so far first',
};

/** The first choice of Set Routing Strategy that is not an alias: routing by complexity (model "auto"). */
const AUTO = 'auto (by complexity)';

/** Tier → "provider/model", as Set Routing Strategy's auto form takes it (tests, keybindings). */
export type TierChoices = Partial<Record<(typeof TIERS)[number], string>>;

/**
 * Tollgate: Set Routing Strategy. Either routing by complexity: model "auto" sends each prompt to
 * the tier the gateway's estimator picks, and each tier is mapped to a model chosen from the
 * configured providers' models with their prices per million tokens; or a model alias and how its
 * targets are chosen.
 */
export async function setRoutingStrategy(services: Services, alias?: string, strategy?: string | TierChoices): Promise<Config> {
  const { api } = await services.supervisor.ensure();
  const { config } = await api.getConfig();
  const aliases = Object.keys(config.models);
  const tier =
    alias ??
    required(
      await vscode.window.showQuickPick(
        [
          { label: AUTO, description: 'model "auto"', detail: 'Each prompt to a cheap or strong model by how demanding it is; map each tier to a model' },
          ...aliases.map((name) => ({ label: name, description: config.models[name]!.strategy, detail: targetsOf(config, name) })),
        ],
        { title: 'Tollgate: routing strategy for which model alias?' },
      ),
    ).label;
  if (tier === AUTO || tier === 'auto') return setTiers(api, typeof strategy === 'object' ? strategy : undefined);
  if (!config.models[tier]) throw new Error(`no model alias "${tier}" in the gateway config (known: ${aliases.join(', ') || 'none'}; or "auto")`);
  const chosen =
    (typeof strategy === 'string' ? strategy : undefined) ??
    required(
      await vscode.window.showQuickPick(
        STRATEGY_NAMES.map((name) => ({ label: name, description: name === config.models[tier]!.strategy ? 'current' : '', detail: STRATEGY_HELP[name] })),
        { title: `Tollgate: strategy for "${tier}"` },
      ),
    ).label;
  if (!(STRATEGY_NAMES as readonly string[]).includes(chosen)) throw new Error(`unknown strategy "${chosen}" (known: ${STRATEGY_NAMES.join(', ')})`);
  const updated = await editConfig(api, { models: { [tier]: { strategy: chosen } } });
  log.info(`routing: "${tier}" now uses ${chosen}`);
  void vscode.window.showInformationMessage(`Tollgate: "${tier}" now routes with ${chosen}.`);
  return updated;
}

const TIER_HELP: Record<(typeof TIERS)[number], string> = {
  simple: 'small talk, lookups, short extraction and classification',
  medium: 'explanations, summaries, ordinary writing and code',
  complex: 'design, planning, long documents, substantial code and debugging',
  reasoning: 'proofs, derivations, multi-step math and logic',
};

/** Maps each tier to a model, offering the providers' models with their prices; the gateway validates and applies it at once. */
async function setTiers(api: GatewayApi, given: TierChoices | undefined): Promise<Config> {
  const { models, tiers: current } = await api.routingModels();
  const price = (value: number | null): string => (value === null ? '?' : `$${value}`);
  const tiers: TierChoices = {};
  for (const tier of TIERS) {
    if (given) {
      if (given[tier] !== undefined) tiers[tier] = given[tier];
      continue;
    }
    const picked = required(
      await vscode.window.showQuickPick(
        models.map((model) => ({
          label: model.target,
          description: `${price(model.inputPerMillionUsd)} in / ${price(model.outputPerMillionUsd)} out per 1M tokens`,
          detail: current[tier] === model.target ? 'current' : undefined,
        })),
        { title: `Tollgate: model for the ${tier} tier (${TIER_HELP[tier]})` },
      ),
    );
    tiers[tier] = picked.label;
  }
  const updated = await editConfig(api, { routing: { tiers } });
  log.info(`routing: model "auto" now routes by tier: ${TIERS.map((tier) => `${tier} → ${tiers[tier] ?? '(next tier)'}`).join(', ')}`);
  void vscode.window.showInformationMessage('Tollgate: model "auto" now routes each prompt by complexity.');
  return updated;
}

/** Tollgate: Edit Routing Rules: the gateway's config.json, validated by the generated JSON Schema. */
export async function editRoutingRules(services: Services): Promise<string> {
  const { api } = await services.supervisor.ensure();
  const current = await api.getConfig();
  // A gateway running on defaults has no file yet: let it write one (the extension writes no config itself).
  if (!existsSync(current.path)) await api.putConfig(current.config);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(current.path));
  await vscode.window.showTextDocument(document);
  return current.path;
}

export interface BudgetArgs {
  /** "global" (all traffic) or a model alias. */
  scope: string;
  /** null or absent: no daily limit. */
  dailyUsd?: number | null;
  monthlyUsd?: number | null;
  onLimit?: 'block' | 'downgrade';
  downgradeTo?: string;
}

/** Tollgate: Set Budget: daily/monthly limits for all traffic or one alias; no limit removes the budget. */
export async function setBudget(services: Services, args?: BudgetArgs): Promise<Config> {
  const { api } = await services.supervisor.ensure();
  const { config } = await api.getConfig();
  const budget = args ?? (await askBudget(config));
  if (budget.scope !== 'global' && !config.models[budget.scope]) throw new Error(`no model alias "${budget.scope}" in the gateway config`);
  const value = toBudget(budget);
  // null removes the budget (merge-patch semantics).
  const updated = await editConfig(api, budget.scope === 'global' ? { budgets: value ?? null } : { models: { [budget.scope]: { budget: value ?? null } } });
  const where = budget.scope === 'global' ? 'all traffic' : `"${budget.scope}"`;
  void vscode.window.showInformationMessage(value ? `Tollgate: budget set for ${where}.` : `Tollgate: no budget for ${where}.`);
  return updated;
}

function toBudget(args: BudgetArgs): Budget | undefined {
  if (args.dailyUsd == null && args.monthlyUsd == null) return undefined;
  return {
    ...(args.dailyUsd != null && { dailyUsd: args.dailyUsd }),
    ...(args.monthlyUsd != null && { monthlyUsd: args.monthlyUsd }),
    onLimit: args.onLimit ?? 'block',
    ...(args.downgradeTo && { downgradeTo: args.downgradeTo }),
    warnAt: 0.8,
  };
}

async function askBudget(config: Config): Promise<BudgetArgs> {
  const scope = required(
    await vscode.window.showQuickPick(
      [{ label: 'global', description: 'All traffic' }, ...Object.keys(config.models).map((name) => ({ label: name, description: 'Model alias' }))],
      { title: 'Tollgate: budget for…' },
    ),
  ).label;
  const current = scope === 'global' ? config.budgets : config.models[scope]?.budget;
  const dailyUsd = await askAmount('Daily limit in USD (empty: none)', current?.dailyUsd);
  const monthlyUsd = await askAmount('Monthly limit in USD (empty: none)', current?.monthlyUsd);
  if (dailyUsd === null && monthlyUsd === null) return { scope };
  const onLimit = required(
    await vscode.window.showQuickPick(
      [
        { label: 'block' as const, detail: 'Refuse calls once the limit is reached' },
        { label: 'downgrade' as const, detail: 'Serve calls with a cheaper model once the limit is reached' },
      ],
      { title: 'Tollgate: when the limit is reached' },
    ),
  ).label;
  const downgradeTo =
    onLimit === 'downgrade' ? required(await vscode.window.showInputBox({ prompt: 'Model or alias to downgrade to', value: current?.downgradeTo ?? 'gpt-4o-mini' })) : undefined;
  return { scope, dailyUsd, monthlyUsd, onLimit, ...(downgradeTo && { downgradeTo }) };
}

async function askAmount(prompt: string, current: number | undefined): Promise<number | null> {
  const text = required(
    await vscode.window.showInputBox({
      prompt,
      value: current === undefined ? '' : String(current),
      validateInput: (value) => (value.trim() === '' || Number(value) > 0 ? undefined : 'A positive number of US dollars, or empty for no limit'),
    }),
  );
  return text.trim() === '' ? null : Number(text);
}

/** Tollgate: Toggle Cache (or set it with an argument). */
export async function toggleCache(services: Services, enabled?: boolean): Promise<boolean> {
  const { api } = await services.supervisor.ensure();
  const current = enabled === undefined ? (await api.getConfig()).config.cache.enabled : undefined;
  const updated = await editConfig(api, { cache: { enabled: enabled ?? !current } });
  void vscode.window.showInformationMessage(`Tollgate: the response cache is ${updated.cache.enabled ? 'on' : 'off'}.`);
  return updated.cache.enabled;
}

/** Tollgate: Clear Cache (DELETE /tollgate/v1/cache). Returns how many cached answers were removed. */
export async function clearCache(services: Services): Promise<number> {
  const { api } = await services.supervisor.ensure();
  const { deleted } = await api.clearCache();
  void vscode.window.showInformationMessage(`Tollgate: the response cache is empty (${deleted} answer${deleted === 1 ? '' : 's'} removed).`);
  return deleted;
}

function targetsOf(config: Config, alias: string): string {
  return config.models[alias]!.targets.map((t) => (typeof t === 'string' ? t : `${t.target} ×${t.weight}`)).join(', ');
}
