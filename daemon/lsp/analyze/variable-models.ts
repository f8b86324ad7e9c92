import type { Item } from '../extract/items';
import type { ModelChoice, PromptSite } from './site';

/**
 * A prompt variable names no model; the call that sends it does. `const SYSTEM_PROMPT = '…'`
 * used in `messages.create({model: 'claude-sonnet-4-5', system: SYSTEM_PROMPT})` is priced as
 * Claude, not as the default model. The first call in the file that looks the name up (directly,
 * or through a helper) and names a model decides.
 */

export interface BuiltSite {
  item: Item;
  site: PromptSite;
}

/** Derived sites, kept per original site so that an unchanged site keeps its cached estimate. */
const derived = new WeakMap<PromptSite, PromptSite>();

export function priceVariablesWithTheirCall(built: readonly BuiltSite[], namesOf: (item: Item) => readonly string[]): PromptSite[] {
  const callModels = new Map<string, ModelChoice>();
  for (const { item, site } of built) {
    if (item.kind !== 'call' || site.model.source === 'default') continue;
    for (const name of namesOf(item)) if (!callModels.has(name)) callModels.set(name, site.model);
  }
  return built.map(({ item, site }) => {
    if (item.kind !== 'binding' || site.model.source !== 'default') return site;
    const model = callModels.get(item.name);
    return model ? withModel(site, { ...model, source: 'call' }) : site;
  });
}

function withModel(site: PromptSite, model: ModelChoice): PromptSite {
  const known = derived.get(site);
  if (known && known.model.display === model.display) return known;
  // The copy shares the span object with its item, so it still moves with edits.
  const next = { ...site, model };
  derived.set(site, next);
  return next;
}
