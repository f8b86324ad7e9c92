import type { ItemChanges } from '../extract/item-cache';
import type { Item } from '../extract/items';
import { itemSite } from './patterns';
import type { Resolver } from './resolve';
import type { PromptSite } from './site';

/**
 * Prompt sites kept per item between edits, so that an edit rebuilds only the sites it affects:
 * those of re-read items (new objects) and those that looked up a name whose bindings changed.
 * A kept site is still correct after the text around it moved: it shares its item's spans.
 */
export class SiteCache {
  private sites = new WeakMap<Item, { site: PromptSite | undefined; names: string[] }>();
  private defaultModel = '';

  /** Forgets what the changes invalidate; call before siteOf with the same resolver state. */
  invalidate(changes: ItemChanges, items: Iterable<Item>, defaultModel: string): void {
    if (changes.all || defaultModel !== this.defaultModel) {
      this.sites = new WeakMap();
      this.defaultModel = defaultModel;
      return;
    }
    if (changes.names.size === 0) return;
    for (const item of items) {
      const cached = this.sites.get(item);
      if (cached?.names.some((name) => changes.names.has(name))) this.sites.delete(item);
    }
  }

  /** The names a cached site looked up (its constants, helpers and prompt variables). */
  namesOf(item: Item): readonly string[] {
    return this.sites.get(item)?.names ?? [];
  }

  siteOf(item: Item, resolver: Resolver): PromptSite | undefined {
    const cached = this.sites.get(item);
    if (cached) return cached.site;
    const lookups = new Set<string>();
    resolver.lookups = lookups;
    try {
      const site = itemSite(item, resolver, this.defaultModel);
      this.sites.set(item, { site, names: [...lookups] });
      return site;
    } finally {
      resolver.lookups = undefined;
    }
  }
}
