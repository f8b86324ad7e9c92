import type { RuntimeConfig, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';

/** A concrete place to send a call: which provider, and the model name it knows. */
export interface Target {
  provider: RuntimeProvider;
  model: string;
}

export interface Resolution {
  /** In preference order; the first is tried first. */
  targets: Target[];
  /** The config alias the request named, if any. */
  alias: string | undefined;
}

/**
 * Model name → targets, in this order:
 *  1. "provider/model" where provider is a configured id: that provider, that model.
 *  2. A name listed in the config's `models`: its targets.
 *  3. The first provider whose modelPrefixes match the name.
 *  4. A bare name (no "/"): the default provider.
 * A "vendor/model" name that none of these explain is refused rather than guessed at: sending
 * it to the default provider would fail upstream with a less helpful message, after a round trip.
 */
export function resolveModel(runtime: RuntimeConfig, requested: string): Resolution {
  const slash = requested.indexOf('/');
  if (slash > 0) {
    const provider = runtime.providers.get(requested.slice(0, slash));
    if (provider) return { targets: [{ provider, model: requested.slice(slash + 1) }], alias: undefined };
  }
  const alias = runtime.config.models[requested];
  if (alias) return { targets: alias.targets.map((entry) => parseTarget(runtime, typeof entry === 'string' ? entry : entry.target)), alias: requested };
  const byPrefix = runtime.providerList.find((provider) => provider.modelPrefixes.some((prefix) => requested.startsWith(prefix)));
  if (byPrefix) return { targets: [{ provider: byPrefix, model: requested }], alias: undefined };
  if (slash > 0) {
    throw new GatewayError(
      400,
      'caller_unknown_provider',
      `Unknown provider "${requested.slice(0, slash)}" in model "${requested}". Configured providers: ${[...runtime.providers.keys()].join(', ')}. ` +
        'To send a model name that contains "/" to a provider, list its prefix in that provider\'s modelPrefixes.',
      { param: 'model' },
    );
  }
  return { targets: [{ provider: runtime.defaultProvider, model: requested }], alias: undefined };
}

/** Alias targets were checked against the provider list when the config was loaded. */
function parseTarget(runtime: RuntimeConfig, target: string): Target {
  const slash = target.indexOf('/');
  return { provider: runtime.providers.get(target.slice(0, slash))!, model: target.slice(slash + 1) };
}
