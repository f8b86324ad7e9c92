import { AdminClient } from '../daemon/gateway/api/client';
import type { ConfigResponse, ConfigUpdateResponse } from '../daemon/gateway/api/config-contracts';
import type { KeysResponse, PushKeysBody, RoutingModelsResponse } from '../daemon/gateway/api/contracts';
import type { ConfigInput } from '../daemon/gateway/config/schema';
import type { DaemonState } from '../daemon/gateway/state-file';

/** The shared admin client plus the typed calls only the editor makes (config edits, pushed keys, cache). */
export class GatewayApi extends AdminClient {
  constructor(readonly daemon: DaemonState) {
    super(daemon);
  }

  getConfig(): Promise<ConfigResponse> {
    return this.get('/tollgate/v1/config');
  }

  /** The whole config; 400 (AdminError) lists every problem when it is invalid. */
  putConfig(config: ConfigInput): Promise<ConfigUpdateResponse> {
    return this.put('/tollgate/v1/config', config);
  }

  /** A JSON Merge Patch: only the members it names change; null removes one. The file keeps its shape. */
  patchConfig(patch: Record<string, unknown>): Promise<ConfigUpdateResponse> {
    return this.patch('/tollgate/v1/config', patch);
  }

  keys(): Promise<KeysResponse> {
    return this.get('/tollgate/v1/keys');
  }

  /** Replaces the keys the gateway holds in memory for this provider (never written to disk). */
  pushKeys(provider: string, keys: PushKeysBody['keys']): Promise<KeysResponse> {
    return this.put(`/tollgate/v1/keys/${encodeURIComponent(provider)}`, { keys });
  }

  deleteKeys(provider: string): Promise<KeysResponse> {
    return this.delete(`/tollgate/v1/keys/${encodeURIComponent(provider)}`);
  }

  /** Empties the response cache; answers how many entries it removed. */
  clearCache(): Promise<{ deleted: number }> {
    return this.delete('/tollgate/v1/cache');
  }

  /** Models of the configured providers with their prices, and the routing tiers as set. */
  routingModels(): Promise<RoutingModelsResponse> {
    return this.get('/tollgate/v1/routing/models');
  }

  get liveUrl(): string {
    return `ws://127.0.0.1:${this.daemon.port}/tollgate/v1/live`;
  }

  get authorization(): string {
    return `Bearer ${this.daemon.token}`;
  }
}
