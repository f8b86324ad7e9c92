import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RuntimeProvider } from '../config/runtime';
import { GatewayError } from '../http/errors';

export interface Credential {
  /** undefined: call the provider without a key (a local server such as Ollama). */
  apiKey: string | undefined;
  /** What the log shows instead of the key. */
  alias: string;
}

/** The key a caller sent, in either API's style. */
export function callerKey(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim() || undefined;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/**
 * The daemon token means "use the keys Tollgate holds"; any other key is the caller's own and
 * goes to the provider as is (zero-config use). Without a key, a provider for which Tollgate
 * holds keys is refused: a local process that has not been given the token must not spend them.
 * A keyless provider on this machine (Ollama, vLLM, LM Studio) is called without a key.
 */
export function chooseCredential(provider: RuntimeProvider, presented: string | undefined, daemonToken: string): Credential {
  if (presented === daemonToken) {
    const key = provider.keys[0];
    if (!key && isLocal(provider.baseUrl)) return { apiKey: undefined, alias: 'none' };
    if (!key) {
      throw new GatewayError(
        401,
        'gateway_no_key',
        `Tollgate holds no API key for provider "${provider.id}". Add one to its apiKeys in config.json (or with "Tollgate: Add Provider Key" in VS Code), or send your own provider key instead of the Tollgate token.`,
      );
    }
    return { apiKey: key.value, alias: key.alias };
  }
  if (presented !== undefined) return { apiKey: presented, alias: callerKeyAlias(presented) };
  if (provider.keys.length > 0) {
    throw new GatewayError(
      401,
      'caller_missing_key',
      'No API key sent. Use the Tollgate token (see `tollgate env`) to call with the keys Tollgate holds, or send your own provider key.',
    );
  }
  return { apiKey: undefined, alias: 'none' };
}

function isLocal(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
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
