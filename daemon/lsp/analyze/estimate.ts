import { modelPriceInfo, priceUsage, type PriceOverride, type PriceResult } from '../../pricing/price';
import { chatFramingTokens, chatPrimingTokens, countTextTokens, encodingFor } from '../../pricing/tokens';
import { expectedOutput, type ExpectedOutput } from './output';
import { knownText, unknownSpans, type ModelChoice, type PromptSite } from './site';

/**
 * Tokens and cost of a prompt site, with the shared tokenizer and price table (daemon/pricing),
 * so the editor's estimate and the gateway's bill come from the same code.
 *
 * A chat is counted as countChatTokens would count it (framing per message plus reply priming),
 * summed per message so that an edit recounts only the message it touched: a text's count is
 * cached by encoding and text.
 */

export interface Estimate {
  /** Known tokens: a lower bound when lowerBound is set. */
  tokens: number;
  /** Counted with the model's own tokenizer (OpenAI); otherwise an approximation. */
  exact: boolean;
  /** Relative uncertainty of an approximate count (0.1 = ±10 %). */
  uncertainty: number;
  encoding: string;
  lowerBound: boolean;
  unknownSpans: string[];
  /** The site has no known text at all: nothing worth an inlay hint. */
  empty: boolean;
  model: ModelChoice;
  input: PriceResult;
  /** Expected output (see output.ts: the cap, a measured average or a typical reply); none for embeddings. */
  output: (ExpectedOutput & { price: PriceResult }) | undefined;
  contextWindow: number | undefined;
}

export interface PricingOptions {
  overrides: Readonly<Record<string, PriceOverride>>;
}

const textCounts = new Map<string, number>();
/** Cached texts are kept whole (they are the keys): bound the characters held, not just the entries. */
const TEXT_COUNT_CACHE_CHARS = 20_000_000;
let cachedChars = 0;

function countText(text: string, model: string, encoding: string): number {
  if (text === '') return 0;
  const key = `${encoding}\u0000${text}`;
  let tokens = textCounts.get(key);
  if (tokens === undefined) {
    tokens = countTextTokens(text, model).tokens;
    cachedChars += key.length;
    textCounts.set(key, tokens);
    // Oldest first (Map keeps insertion order).
    for (const oldest of textCounts.keys()) {
      if (cachedChars <= TEXT_COUNT_CACHE_CHARS) break;
      textCounts.delete(oldest);
      cachedChars -= oldest.length;
    }
  }
  return tokens;
}

/** For benchmarks: forget cached counts so a "cold" run really counts. */
export function clearCountCache(): void {
  textCounts.clear();
  cachedChars = 0;
  prices.clear();
}

/** What counting needs to know about a model, worked out once per model name. */
interface ModelCounting {
  encoding: string;
  exact: boolean;
  uncertainty: number;
  priming: number;
  framing: Map<string, number>;
}
const modelCountings = new Map<string, ModelCounting>();

function modelCounting(model: string): ModelCounting {
  let counting = modelCountings.get(model);
  if (!counting) {
    const { exact, uncertainty } = countTextTokens('', model);
    counting = { encoding: encodingFor(model).encoding, exact, uncertainty, priming: chatPrimingTokens(model), framing: new Map() };
    // Names typed letter by letter ('g', 'gp', …) each get an entry: keep the map bounded.
    if (modelCountings.size >= 1_000) modelCountings.clear();
    modelCountings.set(model, counting);
  }
  return counting;
}

export function countSite(site: PromptSite): Pick<Estimate, 'tokens' | 'exact' | 'uncertainty' | 'encoding'> {
  const model = site.model.model;
  const counting = modelCounting(model);
  let tokens = site.format === 'chat' ? counting.priming : 0;
  for (const message of site.messages) {
    if (site.format === 'chat') {
      let framing = counting.framing.get(message.role);
      if (framing === undefined) counting.framing.set(message.role, (framing = chatFramingTokens(message.role, model)));
      tokens += framing;
    }
    tokens += countText(knownText(message), model, counting.encoding);
  }
  return { tokens, exact: counting.exact, uncertainty: counting.uncertainty, encoding: counting.encoding };
}

const contextWindows = new Map<string, number | undefined>();
function contextWindowOf(model: ModelChoice): number | undefined {
  if (!model.pricingProvider) return undefined;
  const key = `${model.pricingProvider}/${model.model}`;
  if (!contextWindows.has(key)) {
    if (contextWindows.size >= 1_000) contextWindows.clear();
    contextWindows.set(key, modelPriceInfo({ pricingProvider: model.pricingProvider, model: model.model })?.contextWindow);
  }
  return contextWindows.get(key);
}

/**
 * Sites are immutable once built and kept across edits (SiteCache), so their estimates are kept
 * with them: an edit recounts and reprices only the sites it rebuilt.
 */
const estimates = new WeakMap<PromptSite, { overrides: PricingOptions['overrides']; estimate: Estimate }>();

export function cachedEstimate(site: PromptSite, options: PricingOptions): Estimate {
  const cached = estimates.get(site);
  if (cached && cached.overrides === options.overrides) return cached.estimate;
  const estimate = estimateSite(site, options);
  estimates.set(site, { overrides: options.overrides, estimate });
  return estimate;
}

/**
 * priceUsage takes ~0.1 ms for a model with tiered prices (Claude, Gemini: calcPrice's general
 * path) and many prompts share their counts (the same max_tokens on every call, the same
 * template): prices are remembered per provider, model, usage and overrides.
 */
const prices = new Map<string, PriceResult>();
const PRICE_CACHE_LIMIT = 20_000;
let pricedWith: PricingOptions['overrides'] | undefined;

function price(inputTokens: number, outputTokens: number, query: { pricingProvider: string; model: string; overrides: PricingOptions['overrides'] }): PriceResult {
  if (pricedWith !== query.overrides) {
    prices.clear();
    pricedWith = query.overrides;
  }
  const key = `${query.pricingProvider}\u0000${query.model}\u0000${inputTokens}\u0000${outputTokens}`;
  let result = prices.get(key);
  if (!result) {
    result = priceUsage({ inputTokens, outputTokens }, query);
    if (prices.size >= PRICE_CACHE_LIMIT) prices.clear();
    prices.set(key, result);
  }
  return result;
}

export function estimateSite(site: PromptSite, options: PricingOptions): Estimate {
  const counted = countSite(site);
  const query = { pricingProvider: site.model.pricingProvider ?? '', model: site.model.model, overrides: options.overrides };
  const known = site.model.pricingProvider !== undefined || hasOverride(site.model, options);
  const unknown: PriceResult = { known: false };
  const spans = unknownSpans(site);
  const output = expectedOutput(site, site.model.model);
  return {
    ...counted,
    lowerBound: spans.length > 0,
    unknownSpans: spans,
    empty: site.messages.every((message) => knownText(message) === ''),
    model: site.model,
    input: known ? price(counted.tokens, 0, query) : unknown,
    output: output && { ...output, price: known ? price(0, output.tokens, query) : unknown },
    contextWindow: contextWindowOf(site.model),
  };
}

function hasOverride(model: ModelChoice, options: PricingOptions): boolean {
  return options.overrides[model.model] !== undefined || options.overrides[model.display] !== undefined;
}

/** Input plus expected output in USD, or undefined when a price is unknown. */
export function estimateTotal(estimate: Pick<Estimate, 'input' | 'output'>): number | undefined {
  if (!estimate.input.known) return undefined;
  if (!estimate.output) return estimate.input.costUsd;
  return estimate.output.price.known ? estimate.input.costUsd + estimate.output.price.costUsd : undefined;
}
