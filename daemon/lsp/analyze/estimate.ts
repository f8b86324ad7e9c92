import { modelPriceInfo, priceUsage, type PriceOverride, type PriceResult } from '../../pricing/price';
import { chatFramingTokens, chatPrimingTokens, countTextTokens, encodingFor } from '../../pricing/tokens';
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
  /** Worst case, when the call caps its output (max_tokens and friends). */
  output: { tokens: number; price: PriceResult } | undefined;
  contextWindow: number | undefined;
}

export interface PricingOptions {
  overrides: Readonly<Record<string, PriceOverride>>;
}

const textCounts = new Map<string, number>();
const TEXT_COUNT_CACHE_LIMIT = 50_000;

function countText(text: string, model: string, encoding: string): number {
  if (text === '') return 0;
  const key = `${encoding}\u0000${text}`;
  let tokens = textCounts.get(key);
  if (tokens === undefined) {
    tokens = countTextTokens(text, model).tokens;
    if (textCounts.size >= TEXT_COUNT_CACHE_LIMIT) textCounts.delete(textCounts.keys().next().value as string);
    textCounts.set(key, tokens);
  }
  return tokens;
}

/** For benchmarks: forget cached counts so a "cold" run really counts. */
export function clearCountCache(): void {
  textCounts.clear();
}

export function countSite(site: PromptSite): Pick<Estimate, 'tokens' | 'exact' | 'uncertainty' | 'encoding'> {
  const model = site.model.model;
  const { encoding } = encodingFor(model);
  let tokens = site.format === 'chat' ? chatPrimingTokens(model) : 0;
  for (const message of site.messages) {
    if (site.format === 'chat') tokens += chatFramingTokens(message.role, model);
    tokens += countText(knownText(message), model, encoding);
  }
  const { exact, uncertainty } = countTextTokens('', model);
  return { tokens, exact, uncertainty, encoding };
}

export function estimateSite(site: PromptSite, options: PricingOptions): Estimate {
  const counted = countSite(site);
  const query = { pricingProvider: site.model.pricingProvider ?? '', model: site.model.model, overrides: options.overrides };
  const known = site.model.pricingProvider !== undefined || hasOverride(site.model, options);
  const unknown: PriceResult = { known: false };
  const spans = unknownSpans(site);
  const maxOutput = site.maxOutputTokens;
  return {
    ...counted,
    lowerBound: spans.length > 0,
    unknownSpans: spans,
    empty: site.messages.every((message) => knownText(message) === ''),
    model: site.model,
    input: known ? priceUsage({ inputTokens: counted.tokens, outputTokens: 0 }, query) : unknown,
    output: maxOutput === undefined ? undefined : { tokens: maxOutput, price: known ? priceUsage({ inputTokens: 0, outputTokens: maxOutput }, query) : unknown },
    contextWindow: site.model.pricingProvider ? modelPriceInfo({ pricingProvider: site.model.pricingProvider, model: site.model.model })?.contextWindow : undefined,
  };
}

function hasOverride(model: ModelChoice, options: PricingOptions): boolean {
  return options.overrides[model.model] !== undefined || options.overrides[model.display] !== undefined;
}
