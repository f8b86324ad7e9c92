import type { RuntimeConfig, RuntimeProvider } from '../config/runtime';
import type { ModelAlias } from '../config/schema';
import { GatewayError } from '../http/errors';
import type { StrategyName } from './strategies';

/** A concrete place to send a call: which provider, and the model name it knows. */
export interface Target {
  provider: RuntimeProvider;
  model: string;
  /** Share of traffic under "loadbalance". */
  weight: number;
}

export interface Resolution {
  /** In configured order; the routing strategy decides the order of tries. */
  targets: Target[];
  /** The config alias the request named, if any. */
  alias: string | undefined;
  strategy: StrategyName;
  largerContext: Target | undefined;
  /**
   * The provider the requested name itself points at (its "provider/" prefix, else a matching
   * modelPrefixes entry, else the default provider): a caller's own key is for this provider
   * only, whatever targets an alias spans.
   */
  namedProvider: RuntimeProvider;
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
  const explicit = slash > 0 ? runtime.providers.get(requested.slice(0, slash)) : undefined;
  const byPrefix = explicit ? undefined : runtime.providerList.find((provider) => provider.modelPrefixes.some((prefix) => requested.startsWith(prefix)));
  const namedProvider = explicit ?? byPrefix ?? runtime.defaultProvider;
  if (explicit) return single({ provider: explicit, model: requested.slice(slash + 1), weight: 1 }, namedProvider);
  // Own entries only: a model called "__proto__" or "constructor" is not an alias.
  const alias = Object.hasOwn(runtime.config.models, requested) ? runtime.config.models[requested] : undefined;
  if (alias) return fromAlias(runtime, requested, alias, namedProvider);
  if (byPrefix) return single({ provider: byPrefix, model: requested, weight: 1 }, namedProvider);
  if (slash > 0) {
    throw new GatewayError(
      400,
      'caller_unknown_provider',
      `Unknown provider "${requested.slice(0, slash)}" in model "${requested}". Configured providers: ${[...runtime.providers.keys()].join(', ')}. ` +
        'To send a model name that contains "/" to a provider, list its prefix in that provider\'s modelPrefixes.',
      { param: 'model' },
    );
  }
  return single({ provider: runtime.defaultProvider, model: requested, weight: 1 }, namedProvider);
}

/** A routing destination: an alias or model name, or a list of "provider/model" targets. */
export function resolveDestination(runtime: RuntimeConfig, destination: string | readonly string[]): Resolution {
  return typeof destination === 'string' ? resolveModel(runtime, destination) : resolveTargets(runtime, destination);
}

/** A list of "provider/model" targets (a routing tier's), tried in order. */
export function resolveTargets(runtime: RuntimeConfig, targets: readonly string[]): Resolution {
  const parsed = targets.map((target) => parseTarget(runtime, target, 1));
  return { targets: parsed, alias: undefined, strategy: 'fallback', largerContext: undefined, namedProvider: parsed[0]!.provider };
}

function single(target: Target, namedProvider: RuntimeProvider): Resolution {
  return { targets: [target], alias: undefined, strategy: 'fallback', largerContext: undefined, namedProvider };
}

function fromAlias(runtime: RuntimeConfig, name: string, alias: ModelAlias, namedProvider: RuntimeProvider): Resolution {
  return {
    namedProvider,
    targets: alias.targets.map((entry) =>
      typeof entry === 'string' ? parseTarget(runtime, entry, 1) : parseTarget(runtime, entry.target, entry.weight),
    ),
    alias: name,
    // An "auto" alias is routed by tier before it gets here (routing/auto-route.ts); its own targets, if any, go in order.
    strategy: alias.strategy === 'auto' ? 'fallback' : alias.strategy,
    largerContext: alias.largerContext ? parseTarget(runtime, alias.largerContext, 1) : undefined,
  };
}

/** Alias targets were checked against the provider list when the config was loaded. */
function parseTarget(runtime: RuntimeConfig, target: string, weight: number): Target {
  const slash = target.indexOf('/');
  return { provider: runtime.providers.get(target.slice(0, slash))!, model: target.slice(slash + 1), weight };
}
