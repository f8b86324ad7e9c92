import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ProviderKey, RuntimeConfig, RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';

/**
 * What a caller authenticated with:
 *  - `gateway`: the daemon token, meaning "use the keys Tollgate holds";
 *  - `own`: a provider key of the caller's own, passed through to the provider it is for and
 *    nowhere else (zero-config use: keep your key, change only the base URL);
 *  - `none`: nothing, which only keyless local servers (Ollama, vLLM…) accept.
 */
export type Credential = { kind: 'gateway' } | { kind: 'own'; key: ProviderKey } | { kind: 'none' };

export function credentialOf(req: IncomingMessage, daemonToken: string): Credential {
  const presented = presentedKey(req);
  if (presented === undefined) return { kind: 'none' };
  if (presented === daemonToken) return { kind: 'gateway' };
  return { kind: 'own', key: { alias: callerKeyAlias(presented), value: presented, source: 'caller' } };
}

/** The key a caller sent, in either API's style. */
function presentedKey(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/** Calling a keyless server (Ollama, vLLM, LM Studio on this machine). */
const NO_KEY: ProviderKey = { alias: 'none', value: '', source: 'config' };

/**
 * The keys that may serve a provider for this caller. A caller's own key reaches this only for
 * the provider it is bound to (routing drops every other target, pipeline/route.ts). Without a
 * key, a provider for which Tollgate holds keys is refused: a local process that has not been
 * given the token must not spend them.
 */
export function keysFor(provider: RuntimeProvider, credential: Credential): readonly ProviderKey[] | GatewayError {
  if (credential.kind === 'own') return [credential.key];
  if (credential.kind === 'gateway') {
    if (provider.keys.length > 0) return provider.keys;
    if (provider.isLocal) return [NO_KEY];
    return new GatewayError(
      401,
      'gateway_no_key',
      `Tollgate holds no API key for provider "${provider.id}". Add one to its apiKeys in config.json (or with "Tollgate: Add Provider Key" in VS Code), or send your own provider key instead of the Tollgate token.`,
    );
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

/**
 * Everything an upstream error body must not carry onward: the key the attempt sent, every key
 * Tollgate holds (configured or pushed), and the daemon token.
 */
export function knownSecrets(runtime: RuntimeConfig, daemonToken: string, sent: ProviderKey): string[] {
  return [sent.value, daemonToken, ...runtime.providerList.flatMap((provider) => provider.keys.map((key) => key.value))];
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
