import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ProviderKey, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';
import { isLoopbackHostname } from '../http/guard';

/** The key a caller sent, in either API's style. */
export function callerKey(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/** Calling a keyless server (Ollama, vLLM, LM Studio on this machine). */
const NO_KEY: ProviderKey = { alias: 'none', value: '', source: 'config' };

/**
 * The keys that may serve a provider for this caller. The daemon token means "use the keys
 * Tollgate holds"; any other key is the caller's own and is used as is, on the provider it was
 * meant for (the first target's), never swapped for Tollgate's keys elsewhere. Without a key, a
 * provider for which Tollgate holds keys is refused: a local process that has not been given the
 * token must not spend them.
 */
export function keysFor(provider: RuntimeProvider, presented: string | undefined, daemonToken: string, callerProvider: string): readonly ProviderKey[] | GatewayError {
  if (presented === daemonToken) {
    if (provider.keys.length > 0) return provider.keys;
    if (isLoopbackHostname(new URL(provider.baseUrl).hostname)) return [NO_KEY];
    return new GatewayError(
      401,
      'gateway_no_key',
      `Tollgate holds no API key for provider "${provider.id}". Add one to its apiKeys in config.json (or with "Tollgate: Add Provider Key" in VS Code), or send your own provider key instead of the Tollgate token.`,
    );
  }
  if (presented !== undefined) {
    if (provider.id !== callerProvider) {
      return new GatewayError(401, 'caller_missing_key', `Your own key is for "${callerProvider}", not "${provider.id}"; use the Tollgate token to fall back across providers.`);
    }
    return [{ alias: callerKeyAlias(presented), value: presented, source: 'config' }];
  }
  if (provider.keys.length > 0) {
    return new GatewayError(
      401,
      'caller_missing_key',
      'No API key sent. Use the Tollgate token (see `tollgate env`) to call with the keys Tollgate holds, or send your own provider key.',
    );
  }
  return [NO_KEY];
}

/** A caller's own key is logged as a short fingerprint, enough to tell two keys apart. */
const aliasCache = new Map<string, string>();

function callerKeyAlias(key: string): string {
  let alias = aliasCache.get(key);
  if (alias === undefined) {
    alias = `caller:${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    if (aliasCache.size > 1000) aliasCache.clear();
    aliasCache.set(key, alias);
  }
  return alias;
}
