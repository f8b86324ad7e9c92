import { isRecord } from '../../shared/json';
import type { Config, ConfigInput } from '../config/schema';

/**
 * GET /config must not hand out keys written literally in config.json. They are replaced by
 * this marker; a PUT that sends the marker back keeps the key that was there.
 */
export const REDACTED = '<redacted>';

type KeyEntry = Config['providers'][number]['apiKeys'][number];

const isLiteral = (value: string): boolean => !value.startsWith('env:');

export function redactConfig(config: Config): Config {
  return {
    ...config,
    providers: config.providers.map((provider) => ({ ...provider, apiKeys: provider.apiKeys.map(redactEntry) })),
  };
}

function redactEntry(entry: KeyEntry): KeyEntry {
  if (typeof entry === 'string') return isLiteral(entry) ? REDACTED : entry;
  return isLiteral(entry.value) ? { ...entry, value: REDACTED } : entry;
}

/** Puts the current literal keys back where an incoming config carries the marker. */
export function restoreRedacted(incoming: unknown, current: Config): unknown {
  if (!isRecord(incoming) || !Array.isArray(incoming['providers'])) return incoming;
  const currentById = new Map(current.providers.map((provider) => [provider.id, provider]));
  const providers = incoming['providers'].map((provider: unknown) => {
    if (!isRecord(provider) || !Array.isArray(provider['apiKeys'])) return provider;
    const previous = currentById.get(String(provider['id']))?.apiKeys ?? [];
    return { ...provider, apiKeys: provider['apiKeys'].map((entry: unknown, index: number) => restoreEntry(entry, previous, index)) };
  });
  return { ...incoming, providers } satisfies Partial<Record<keyof ConfigInput, unknown>>;
}

function restoreEntry(entry: unknown, previous: readonly KeyEntry[], index: number): unknown {
  const valueOf = (e: KeyEntry | undefined): string | undefined => (typeof e === 'string' ? e : e?.value);
  if (entry === REDACTED) return valueOf(findPrevious(previous, undefined, index)) ?? entry;
  if (isRecord(entry) && entry['value'] === REDACTED) {
    const alias = typeof entry['alias'] === 'string' ? entry['alias'] : undefined;
    return { ...entry, value: valueOf(findPrevious(previous, alias, index)) ?? REDACTED };
  }
  return entry;
}

/** By alias when the entry has one (keys may have been reordered), else by position. */
function findPrevious(previous: readonly KeyEntry[], alias: string | undefined, index: number): KeyEntry | undefined {
  if (alias) return previous.find((entry) => typeof entry === 'object' && entry.alias === alias);
  return previous[index];
}
