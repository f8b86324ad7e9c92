import type * as vscode from 'vscode';
import type { GatewayApi } from './gateway-api';
import { errorMessage, log } from './log';

export interface StoredKey {
  alias: string;
  value: string;
}

/** One SecretStorage entry holds every provider's keys: {provider: [{alias, value}]}. */
const SECRET_ID = 'tollgate.providerKeys';

/**
 * Provider keys live in VS Code's SecretStorage (the OS keychain on desktop) and reach the gateway
 * only over the admin API, which keeps them in memory. They are never written to a file by the
 * extension, the gateway or its log, and are pushed again whenever a gateway (re)starts.
 */
export class ProviderKeys {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async all(): Promise<Record<string, StoredKey[]>> {
    const text = await this.storage.get(SECRET_ID);
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, StoredKey[]>;
    } catch {
      log.warn('the stored provider keys could not be read; starting with none');
      return {};
    }
  }

  async list(provider: string): Promise<StoredKey[]> {
    return (await this.all())[provider] ?? [];
  }

  /** Adds or replaces (same alias) a key; returns the provider's keys after the change. */
  async add(provider: string, key: StoredKey): Promise<StoredKey[]> {
    const all = await this.all();
    const keys = (all[provider] ?? []).filter((k) => k.alias !== key.alias).concat(key);
    await this.save({ ...all, [provider]: keys });
    return keys;
  }

  async remove(provider: string, alias: string): Promise<StoredKey[]> {
    const all = await this.all();
    const keys = (all[provider] ?? []).filter((k) => k.alias !== alias);
    const next = { ...all, [provider]: keys };
    if (keys.length === 0) delete next[provider];
    await this.save(next);
    return keys;
  }

  /** Gives a freshly (re)started gateway every stored key. */
  async pushAll(api: GatewayApi): Promise<void> {
    for (const [provider, keys] of Object.entries(await this.all())) {
      try {
        await api.pushKeys(provider, keys);
        log.info(`pushed ${keys.length} key(s) for provider "${provider}": ${keys.map((k) => k.alias).join(', ')}`);
      } catch (error) {
        log.warn(`could not push the keys for provider "${provider}": ${errorMessage(error)}`);
      }
    }
  }

  private save(all: Record<string, StoredKey[]>): Thenable<void> {
    return this.storage.store(SECRET_ID, JSON.stringify(all));
  }
}
