import type { CallSiteFigures } from '../../gateway/api/contracts';
import type { GatewayClient } from './gateway-client';
import type { SiteLink } from './call-site-link';
import { startOfLocalDay } from '../../shared/local-time';

/**
 * Today's measured figures per call site, fetched in one POST /callsites per document and kept
 * until the gateway logs something new (tollgate/requestLogged) or the day changes. Cached by
 * link, not by position, so typing elsewhere in the file costs no request.
 */

const MAX_SITES_PER_REQUEST = 500;
const TTL_MS = 5 * 60_000;

export interface LinkedSite {
  /** Sent to the gateway as the site id ("line:column" of the call, 1-based). */
  id: string;
  link: SiteLink;
}

export class CallSiteFiguresCache {
  private figures = new Map<string, { at: number; figures: CallSiteFigures | null }>();
  private day = startOfLocalDay();

  constructor(private readonly gateway: GatewayClient) {}

  invalidate(): void {
    this.figures.clear();
  }

  /** Figures by site id, for the sites that have run today. Empty when the gateway is unreachable. */
  async lookup(sites: readonly LinkedSite[]): Promise<Map<string, CallSiteFigures>> {
    this.rollDay();
    const now = Date.now();
    const missing = new Map<string, LinkedSite>();
    for (const site of sites) {
      const cached = this.figures.get(site.link.key);
      if ((!cached || now - cached.at > TTL_MS) && !missing.has(site.link.key)) missing.set(site.link.key, site);
    }
    const batch = [...missing.values()].slice(0, MAX_SITES_PER_REQUEST);
    if (batch.length > 0 && !(await this.fetch(batch))) return new Map();
    const found = new Map<string, CallSiteFigures>();
    for (const site of sites) {
      const figures = this.figures.get(site.link.key)?.figures;
      if (figures && figures.calls > 0) found.set(site.id, { ...figures, id: site.id });
    }
    return found;
  }

  private async fetch(batch: LinkedSite[]): Promise<boolean> {
    const response = await this.gateway.callSites({
      since: this.day,
      sites: batch.map(({ id, link }) => ({ id, hashes: link.hashes, ...(link.tag ? { tag: link.tag } : {}) })),
    });
    if (!response) return false;
    const byId = new Map(response.sites.map((site) => [site.id, site]));
    const at = Date.now();
    for (const site of batch) this.figures.set(site.link.key, { at, figures: byId.get(site.id) ?? null });
    return true;
  }

  /** "today" is the user's local day: figures start again at local midnight. */
  private rollDay(): void {
    const today = startOfLocalDay();
    if (today !== this.day) {
      this.day = today;
      this.figures.clear();
    }
  }
}
