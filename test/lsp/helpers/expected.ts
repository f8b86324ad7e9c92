import { countTokens as countCl100k, encodeChat as encodeChatCl100k } from 'gpt-tokenizer/model/gpt-4';
import { countTokens as countO200k, encodeChat as encodeChatO200k } from 'gpt-tokenizer/model/gpt-4o';
import { priceUsage } from '../../../daemon/pricing/price';

/**
 * What a hint should say, computed independently of the server: token counts straight from
 * gpt-tokenizer (encodeChat for chats, so the chat framing is included), costs from the pricing
 * module's priceUsage, and the label assembled here by hand.
 */

export interface ExpectedPrompt {
  /** The fixture's "@hint <id>" marker. */
  id: string;
  format: 'chat' | 'text';
  /** The known text of each message (unknown spans left out). Roles: system, user, assistant. */
  messages: Array<{ role: 'system' | 'user' | 'assistant' | ''; content: string }>;
  pricingProvider: string;
  model: string;
  /** Claude, Gemini…: counted with o200k_base as an approximation, labelled ±10 %. */
  approximate?: boolean;
  lowerBound?: boolean;
  maxOutput?: number;
  /** cl100k_base models (gpt-4, gpt-3.5). */
  cl100k?: boolean;
  /** Embeddings: no reply, so no output figure. */
  noOutput?: boolean;
  /** A reasoning model (o-series, gpt-5): a typical reply carries typical reasoning tokens. */
  reasoning?: boolean;
  /** The code names no model the server can read: the hint names the default one. */
  defaultModel?: boolean;
  /** The gateway's average completion tokens for this call site (no cap set): the output estimate. */
  measuredOutput?: number;
}

/**
 * The figures the README states for a call without an output cap: a typical reply of 300
 * tokens, plus 1,000 reasoning tokens on a reasoning model.
 */
export const TYPICAL_REPLY_TOKENS = 300;
export const TYPICAL_REASONING_TOKENS = 1_000;

/** Output tokens the hint shows: the cap, a typical reply, or none (embeddings). */
export function expectedOutputTokens(prompt: ExpectedPrompt): number | undefined {
  if (prompt.noOutput) return undefined;
  if (prompt.maxOutput !== undefined) return prompt.maxOutput;
  if (prompt.measuredOutput !== undefined) return Math.round(prompt.measuredOutput);
  return TYPICAL_REPLY_TOKENS + (prompt.reasoning ? TYPICAL_REASONING_TOKENS : 0);
}

export function expectedTokens(prompt: ExpectedPrompt): number {
  if (prompt.format === 'text') return prompt.messages.reduce((sum, message) => sum + (prompt.cl100k ? countCl100k : countO200k)(message.content), 0);
  const chat = prompt.messages.map((message) => ({ role: message.role === '' ? ('user' as const) : message.role, content: message.content }));
  return (prompt.cl100k ? encodeChatCl100k(chat, 'gpt-4') : encodeChatO200k(chat, 'gpt-4o')).length;
}

export function expectedInputUsd(prompt: ExpectedPrompt): number {
  const price = priceUsage({ inputTokens: expectedTokens(prompt), outputTokens: 0 }, { pricingProvider: prompt.pricingProvider, model: prompt.model });
  if (!price.known) throw new Error(`no price for ${prompt.model}`);
  return price.costUsd;
}

export function expectedOutputUsd(prompt: ExpectedPrompt): number | undefined {
  const tokens = expectedOutputTokens(prompt);
  if (tokens === undefined) return undefined;
  const price = priceUsage({ inputTokens: 0, outputTokens: tokens }, { pricingProvider: prompt.pricingProvider, model: prompt.model });
  if (!price.known) throw new Error(`no price for ${prompt.model}`);
  return price.costUsd;
}

/**
 * USD as a person would write it, rounded half up in decimal (toFixed would round the binary
 * value down): cents from $0.10 up, else two significant digits without trailing zeros
 * ($0.000052, $0.003), so that a tiny cost still says how tiny.
 */
export function usd(amount: number, significant = 2, symbol = '$'): string {
  if (amount === 0) return `${symbol}0.00`;
  const round = (decimals: number): string => {
    const [digits = '0', exponent = '0'] = amount.toExponential(12).split('e');
    return (Math.round(Number(`${digits}e${Number(exponent) + decimals}`)) / 10 ** decimals).toFixed(decimals);
  };
  if (amount >= 0.1) return `${symbol}${round(2)}`;
  return `${symbol}${round(significant - 1 - Math.floor(Math.log10(amount))).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** "≈ 31 in + ≤120 out · $0.0013", "≈ 4 tok · $0.00000008" (embeddings), "… · default". */
export function expectedLabel(prompt: ExpectedPrompt, money: (usd: number) => string = usd): string {
  const input = `${prompt.lowerBound ? '≥' : '≈'} ${expectedTokens(prompt).toLocaleString('en-US')}`;
  const outputTokens = expectedOutputTokens(prompt);
  const output = outputTokens === undefined ? ' tok' : ` in + ${prompt.maxOutput === undefined ? '~' : '≤'}${outputTokens.toLocaleString('en-US')} out`;
  const approx = prompt.approximate ? ' ±10 %' : '';
  const total = expectedInputUsd(prompt) + (expectedOutputUsd(prompt) ?? 0);
  return `${input}${output}${approx} · ${money(total)}${prompt.defaultModel ? ' · default' : ''}`;
}

/** Columns shown without scrolling; a longer line gets its hint before the code, not after. */
export const VISIBLE_COLUMNS = 100;

/**
 * Where the fixture says a hint goes: the line where the prompt starts, marked "@hint <id>" (a
 * marker alone on its line marks the line below). At the end of that line when it is at most
 * VISIBLE_COLUMNS long, else at its first non-blank character.
 */
export function markerPosition(text: string, id: string): { line: number; character: number } {
  const lines = text.split('\n');
  let line = lines.findIndex((candidate) => new RegExp(`(//|#) @hint ${id}\\b`).test(candidate));
  if (line < 0) throw new Error(`no @hint ${id} in the fixture`);
  if (/^\s*(\/\/|#) @hint /.test(lines[line] as string)) line++;
  const source = (lines[line] as string).trimEnd();
  if (source.length <= VISIBLE_COLUMNS) return { line, character: source.length };
  return { line, character: source.length - source.trimStart().length };
}

export function markerIds(text: string): string[] {
  return [...text.matchAll(/(?:\/\/|#) @hint ([\w-]+)/g)].map((match) => match[1] as string);
}
