import { calcPrice, findProvider, type ModelInfo, type Provider } from '@pydantic/genai-prices';

/**
 * The one price table for Tollgate: the gateway prices what a call cost, the hint server prices
 * what a prompt will cost, and both call this module so they always agree.
 * Prices come from @pydantic/genai-prices (bundled data, no network) plus the user's overrides.
 */

/** Token counts as providers report them. inputTokens includes cached (read and written) tokens. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** USD per million tokens. */
export interface PriceOverride {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

export interface PriceQuery {
  /** Provider id in the price table ("openai", "anthropic", "groq", "openrouter"…). */
  pricingProvider: string;
  /** Used to recognise the provider when pricingProvider is not in the table (e.g. a Groq base URL under a custom id). */
  baseUrl?: string | undefined;
  model: string;
  /** Keyed by "model" or "provider/model"; wins over the bundled table. */
  overrides?: Readonly<Record<string, PriceOverride>>;
}

/**
 * What identified a call's price, in the order tried: the user's `pricing` override; the
 * provider id in the price table; the provider's base URL (a renamed provider, a company proxy
 * of a known API); the model name alone (the way genai-prices matches a model without a
 * provider, e.g. a local mock or an unknown proxy serving gpt-4o-mini).
 */
export type PriceSource = 'override' | 'table' | 'base_url' | 'model_name';
type TableSource = Exclude<PriceSource, 'override'>;

export type PriceResult = { known: true; costUsd: number; inputUsd: number; outputUsd: number; source: PriceSource } | { known: false };

export interface ModelPriceInfo {
  /** USD per million tokens; undefined where the table has no such rate. */
  input: number | undefined;
  output: number | undefined;
  cacheRead: number | undefined;
  contextWindow: number | undefined;
}

const UNKNOWN: PriceResult = { known: false };

export function priceUsage(usage: TokenUsage, query: PriceQuery): PriceResult {
  const override = findOverride(query);
  if (override) return priceWithOverride(usage, override);
  const match = lookupModel(query);
  if (!match) return UNKNOWN;
  if (match.flat) return priceFlat(usage, match.flat, match.source);
  const result = calcPrice(toLibraryUsage(usage), match.matchedName, { provider: match.narrowed });
  if (!result) return UNKNOWN;
  return {
    known: true,
    costUsd: result.total_price,
    inputUsd: result.input_price,
    outputUsd: result.output_price,
    source: match.source,
  };
}

/** Per-token rates for display (hover tables, cheaper alternatives). */
export function modelPriceInfo(query: PriceQuery): ModelPriceInfo | undefined {
  const override = findOverride(query);
  if (override) {
    return { input: override.input, output: override.output, cacheRead: override.cacheRead, contextWindow: undefined };
  }
  const match = lookupModel(query);
  if (!match) return undefined;
  const prices = Array.isArray(match.model.prices) ? match.model.prices.at(-1)?.prices : match.model.prices;
  const rate = (key: string): number | undefined => {
    const value = prices?.[key];
    return typeof value === 'number' ? value : value?.base;
  };
  return {
    input: rate('input_mtok'),
    output: rate('output_mtok'),
    cacheRead: rate('cache_read_mtok'),
    contextWindow: match.model.context_window,
  };
}

function toLibraryUsage(usage: TokenUsage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens ?? 0,
    cache_write_tokens: usage.cacheWriteTokens ?? 0,
  };
}

function findOverride(query: PriceQuery): PriceOverride | undefined {
  const overrides = query.overrides;
  if (!overrides || !hasOwnKeys(overrides)) return undefined;
  // Own entries only: a model called "__proto__" would otherwise find Object.prototype and price at NaN.
  const own = (key: string): PriceOverride | undefined => (Object.hasOwn(overrides, key) ? overrides[key] : undefined);
  return own(`${query.pricingProvider}/${query.model}`) ?? own(query.model);
}

/** Most configs set no overrides; their lookup keys need not be built for every call. */
function hasOwnKeys(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function priceWithOverride(usage: TokenUsage, price: PriceOverride): PriceResult {
  return priceFlat(usage, price, 'override');
}

/**
 * Cost at flat per-million rates; cached tokens without a rate of their own cost the input rate,
 * as in genai-prices. The gateway prices every call on its request path, and calcPrice's
 * general unit decomposition costs ~8 µs a call (5 % of the gateway's CPU under load), so models
 * with flat rates take this path; tiered, dated or per-request prices still go to calcPrice.
 * test/unit/pricing.test.ts checks both paths agree on every flat-priced model in the table.
 */
function priceFlat(usage: TokenUsage, price: PriceOverride, source: PriceSource): PriceResult {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const inputUsd =
    (uncached * price.input + cacheRead * (price.cacheRead ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input)) /
    1e6;
  const outputUsd = (usage.outputTokens * price.output) / 1e6;
  return { known: true, costUsd: inputUsd + outputUsd, inputUsd, outputUsd, source };
}

/** Price keys that do not change the cost of a call reporting only tokens. */
const IGNORABLE_PRICE_KEYS = new Set(['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok']);
/** Prices of usage a token-only call reports as zero (audio, images, tool calls…): no effect on its cost. */
const UNREPORTED_USAGE_PRICE =
  /^(input_audio|output_audio|cache_audio_read|cache_image_read|cache_write_1h|cache_write_5m|web_searches|storage_searches|file_searches|input_image|output_image|input_video|output_video|audio_seconds|audio_hours|input_audio_seconds|input_audio_hours|input_document|input_annotated_document|output_citation|output_reasoning|input_text_messages)_/;

function flatRatesOf(model: ModelInfo): PriceOverride | undefined {
  if (Array.isArray(model.prices)) return undefined;
  const prices = model.prices;
  for (const [key, value] of Object.entries(prices)) {
    if (value === undefined) continue;
    if (IGNORABLE_PRICE_KEYS.has(key)) {
      if (typeof value !== 'number') return undefined;
    } else if (!UNREPORTED_USAGE_PRICE.test(key)) {
      return undefined;
    }
  }
  const rate = (key: string): number | undefined => prices[key] as number | undefined;
  return { input: rate('input_mtok') ?? 0, output: rate('output_mtok') ?? 0, cacheRead: rate('cache_read_mtok'), cacheWrite: rate('cache_write_mtok') };
}

interface ModelMatch {
  model: ModelInfo;
  /** The name that matched (the query's model, or it without its vendor prefix). */
  matchedName: string;
  /** Flat per-million rates, when the model's price is that simple. */
  flat: PriceOverride | undefined;
  /** The matched provider cut down to the one model, so calcPrice skips the catalogue search. */
  narrowed: Provider;
  source: TableSource;
}

/** Lookups scan ~1,000 models with regexes; the answer for a (provider, model) pair never changes. */
/**
 * Nested by provider, then base URL, then model: the gateway asks with the same string objects
 * call after call (its provider config, the model name), whose hashes V8 keeps, where one
 * concatenated key would be a new string to hash on every call.
 */
const lookupCache = new Map<string, Map<string, Map<string, ModelMatch | null>>>();
const LOOKUP_CACHE_LIMIT = 10_000;
let cachedLookups = 0;

function lookupModel(query: PriceQuery): ModelMatch | undefined {
  let byUrl = lookupCache.get(query.pricingProvider);
  if (!byUrl) lookupCache.set(query.pricingProvider, (byUrl = new Map()));
  const baseUrl = query.baseUrl ?? '';
  let byModel = byUrl.get(baseUrl);
  if (!byModel) byUrl.set(baseUrl, (byModel = new Map()));
  let match = byModel.get(query.model);
  if (match === undefined) {
    match = searchCatalogue(query) ?? null;
    if (++cachedLookups > LOOKUP_CACHE_LIMIT) {
      lookupCache.clear();
      cachedLookups = 0;
    }
    byModel.set(query.model, match);
  }
  return match ?? undefined;
}

/**
 * The first of these that lists the model (PriceSource says which it was):
 *  1. the provider id in the table;  2. the provider found by its base URL;
 *  3. for "vendor/model" names (OpenRouter style), the vendor's own listing of the bare model;
 *  4. the provider the model name alone points at.
 * Each of 1 and 2 is also tried with the bare model of a "vendor/model" name.
 */
function searchCatalogue(query: PriceQuery): ModelMatch | undefined {
  const byId = findProvider({ providerId: query.pricingProvider });
  const byUrl = query.baseUrl ? findProvider({ providerApiUrl: query.baseUrl }) : undefined;
  const slash = query.model.indexOf('/');
  const bare = slash > 0 ? query.model.slice(slash + 1) : undefined;
  const vendor = slash > 0 ? findProvider({ providerId: query.model.slice(0, slash) }) : undefined;
  const tries: [TableSource, Provider | undefined, string | undefined][] = [
    ['table', byId, query.model],
    ['base_url', byUrl, query.model],
    ['model_name', vendor, bare],
    ['table', byId, bare],
    ['base_url', byUrl, bare],
  ];
  for (const [source, provider, model] of tries) {
    const match = provider && model ? matchIn(provider, model, source) : undefined;
    if (match) return match;
  }
  const byName = findProvider({ modelId: bare ?? query.model });
  return byName ? matchIn(byName, bare ?? query.model, 'model_name') : undefined;
}

function matchIn(provider: Provider, model: string, source: TableSource): ModelMatch | undefined {
  // calcPrice does the matching (including the provider's fallback rules); we keep what it found.
  const probe = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { provider });
  if (!probe) return undefined;
  return { model: probe.model, matchedName: model, narrowed: { ...probe.provider, models: [probe.model] }, flat: flatRatesOf(probe.model), source };
}
