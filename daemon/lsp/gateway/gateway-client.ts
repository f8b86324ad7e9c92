import { callSitesResponse, routeResponse, type CallSitesQuery, type CallSitesResponse, type RouteResponse } from '../../gateway/api/contracts';
import type { PriceOverride } from '../../pricing/price';
import type { GatewayEndpoint } from '../protocol';

/**
 * The admin API calls the hint server makes: measured figures per call site (CodeLens), where
 * the gateway would route a model (hover), and the gateway's price overrides. The gateway is an enhancement: every failure
 * means "no figures", and after one the server leaves the gateway alone for a few seconds
 * instead of waiting on it for every lens.
 */

const CALL_SITES_TIMEOUT_MS = 3_000;
const ROUTE_TIMEOUT_MS = 800;
const BACKOFF_MS = 5_000;
const ROUTE_TTL_MS = 30_000;

export interface GatewayConfigFacts {
  pricing: Record<string, PriceOverride>;
  providers: ReadonlySet<string>;
}

export class GatewayClient {
  private endpoint: GatewayEndpoint | null = null;
  private downUntil = 0;
  private readonly routes = new Map<string, { at: number; route: RouteResponse | undefined }>();

  setEndpoint(endpoint: GatewayEndpoint | null): void {
    this.endpoint = endpoint;
    this.downUntil = 0;
    this.routes.clear();
  }

  get configured(): boolean {
    return this.endpoint !== null;
  }

  async callSites(query: CallSitesQuery): Promise<CallSitesResponse | undefined> {
    const body = await this.request('POST', '/tollgate/v1/callsites', query, CALL_SITES_TIMEOUT_MS);
    const parsed = body === undefined ? undefined : callSitesResponse.safeParse(body);
    return parsed?.success ? parsed.data : undefined;
  }

  /** Cached per model for a short while: hovering the same call again costs no request. */
  async route(model: string): Promise<RouteResponse | undefined> {
    const cached = this.routes.get(model);
    if (cached && Date.now() - cached.at < ROUTE_TTL_MS) return cached.route;
    const body = await this.request('GET', `/tollgate/v1/route?${new URLSearchParams({ model })}`, undefined, ROUTE_TIMEOUT_MS);
    const parsed = body === undefined ? undefined : routeResponse.safeParse(body);
    const route = parsed?.success ? parsed.data : undefined;
    if (body !== undefined) this.routes.set(model, { at: Date.now(), route });
    return route;
  }

  /**
   * What the editor takes from the gateway's config: its price overrides (config.json `pricing`),
   * so that the editor prices a model the way the gateway will bill it, and the price-table ids
   * of the providers it can call, so that the hover suggests only models the user can switch to.
   * undefined when the gateway cannot be asked.
   */
  async configFacts(): Promise<GatewayConfigFacts | undefined> {
    const body = await this.request('GET', '/tollgate/v1/config', undefined, CALL_SITES_TIMEOUT_MS);
    const config = (body as { config?: { pricing?: unknown; providers?: unknown } } | undefined)?.config;
    if (!config) return undefined;
    const pricing = typeof config.pricing === 'object' && config.pricing !== null ? (config.pricing as Record<string, PriceOverride>) : {};
    const providers = new Set<string>();
    for (const provider of Array.isArray(config.providers) ? (config.providers as Array<{ id?: unknown; pricingId?: unknown }>) : []) {
      const id = typeof provider.pricingId === 'string' ? provider.pricingId : provider.id;
      if (typeof id === 'string') providers.add(id);
    }
    return { pricing, providers };
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const endpoint = this.endpoint;
    if (!endpoint || Date.now() < this.downUntil) return undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${endpoint.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${endpoint.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        // 404: an older gateway without this endpoint; 401: a stale token. Either way, no figures.
        await response.body?.cancel();
        return undefined;
      }
      return (await response.json()) as unknown;
    } catch {
      if (this.endpoint === endpoint) this.downUntil = Date.now() + BACKOFF_MS;
      return undefined;
    }
  }
}
