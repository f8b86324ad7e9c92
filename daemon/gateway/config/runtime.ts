import { PROVIDER_ADAPTERS } from '../providers/registry';
import type { EndpointKind } from '../endpoint-kind';
import { isLoopbackHostname } from '../http/guard';
import type { ProviderAdapter } from '../providers/types';
import type { ApiKeyEntry, Config, ProviderConfig } from './schema';

/**
 * The immutable snapshot a request runs on. Built from a validated Config plus the environment
 * and the keys pushed from the editor; a config change builds a new snapshot, and requests
 * already in flight keep the one they started with.
 */
export interface RuntimeConfig {
  readonly config: Config;
  readonly providers: ReadonlyMap<string, RuntimeProvider>;
  /** In config order: prefix matching takes the first provider that matches. */
  readonly providerList: readonly RuntimeProvider[];
  readonly defaultProvider: RuntimeProvider;
  /** Problems that did not stop the gateway (a key's environment variable is unset). */
  readonly warnings: readonly string[];
}

export interface RuntimeProvider {
  readonly id: string;
  readonly type: ProviderConfig['type'];
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly keys: readonly HeldKey[];
  readonly modelPrefixes: readonly string[];
  readonly pricingId: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly adapter: ProviderAdapter;
  /** Where each kind of call it serves goes, parsed once (absent: not served). */
  readonly urls: Readonly<Partial<Record<EndpointKind | 'models', URL>>>;
  /** On this machine (Ollama, vLLM…): may be called without a key. */
  readonly isLocal: boolean;
}

export interface ProviderKey {
  /** What logs and stats show; the key itself never leaves memory except toward its provider. */
  readonly alias: string;
  readonly value: string;
  /**
   * config.json (literal or env:), pushed from the editor (memory only), or the caller's own key
   * for this one call (never held beyond it).
   */
  readonly source: 'config' | 'pushed' | 'caller';
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
}

/** A key Tollgate holds (configured or pushed), as opposed to a caller's own. */
export type HeldKey = ProviderKey & { readonly source: 'config' | 'pushed' };

/** Keys held in memory only, per provider id (pushed from VS Code SecretStorage). */
export type PushedKeys = ReadonlyMap<string, readonly HeldKey[]>;

export function buildRuntime(config: Config, env: NodeJS.ProcessEnv, pushed: PushedKeys = new Map()): RuntimeConfig {
  const warnings: string[] = [];
  const providerList = config.providers.map((provider, index) =>
    buildProvider(provider, index, env, pushed.get(provider.id) ?? [], warnings),
  );
  const providers = new Map(providerList.map((provider) => [provider.id, provider]));
  const defaultProvider = providers.get(config.defaultProvider ?? '') ?? providerList[0]!;
  return { config, providers, providerList, defaultProvider, warnings };
}

function buildProvider(
  provider: ProviderConfig,
  index: number,
  env: NodeJS.ProcessEnv,
  pushed: readonly HeldKey[],
  warnings: string[],
): RuntimeProvider {
  const keys: HeldKey[] = [];
  provider.apiKeys.forEach((entry, keyIndex) => {
    const resolved = resolveKey(entry, env);
    const alias = typeof entry === 'object' && entry.alias ? entry.alias : `${provider.id}#${keyIndex + 1}`;
    if (resolved === undefined) {
      warnings.push(`providers[${index}].apiKeys[${keyIndex}]: environment variable ${envName(entry)} is not set; key skipped`);
    } else {
      const limits = typeof entry === 'object' ? { rpm: entry.rpm, tpm: entry.tpm } : {};
      keys.push({ alias, value: resolved, source: 'config', ...limits });
    }
  });
  const baseUrl = provider.baseUrl.replace(/\/+$/, '');
  const adapter = PROVIDER_ADAPTERS[provider.type];
  const urls = Object.fromEntries(Object.entries(adapter.paths).map(([kind, path]) => [kind, new URL(baseUrl + path)]));
  return {
    id: provider.id,
    type: provider.type,
    baseUrl,
    keys: [...keys, ...pushed],
    modelPrefixes: provider.modelPrefixes,
    pricingId: provider.pricingId ?? provider.id,
    headers: provider.headers,
    adapter,
    urls,
    isLocal: isLoopbackHostname(new URL(baseUrl).hostname),
  };
}

function referenceOf(entry: ApiKeyEntry): string {
  return typeof entry === 'string' ? entry : entry.value;
}

function envName(entry: ApiKeyEntry): string | undefined {
  const reference = referenceOf(entry);
  return reference.startsWith('env:') ? reference.slice(4) : undefined;
}

function resolveKey(entry: ApiKeyEntry, env: NodeJS.ProcessEnv): string | undefined {
  const name = envName(entry);
  if (name === undefined) return referenceOf(entry);
  const value = env[name];
  return value ? value : undefined;
}
