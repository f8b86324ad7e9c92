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
  if (prompt.maxOutput === undefined) return undefined;
  const price = priceUsage({ inputTokens: 0, outputTokens: prompt.maxOutput }, { pricingProvider: prompt.pricingProvider, model: prompt.model });
  if (!price.known) throw new Error(`no price for ${prompt.model}`);
  return price.costUsd;
}

/**
 * USD with 4 decimals, rounded half up in decimal (0.00015 → $0.0002; toFixed would round the
 * binary value down); a non-zero amount below $0.00005 shows as "<$0.0001", never "$0.0000".
 */
export function usd(amount: number, decimals = 4): string {
  if (amount > 0 && amount < 0.5 * 10 ** -decimals) return `<$${(10 ** -decimals).toFixed(decimals)}`;
  const [digits = '0', exponent = '0'] = amount.toExponential(12).split('e');
  const scaled = Math.round(Number(`${digits}e${Number(exponent) + decimals}`));
  return `$${(scaled / 10 ** decimals).toFixed(decimals)}`;
}

export function expectedLabel(prompt: ExpectedPrompt): string {
  const tokens = expectedTokens(prompt).toLocaleString('en-US');
  const approx = prompt.approximate ? ' ±10 %' : '';
  const output = expectedOutputUsd(prompt);
  return `${prompt.lowerBound ? '≥' : '≈'} ${tokens} tok${approx} · ${usd(expectedInputUsd(prompt))}${output === undefined ? '' : ` · out ≤ ${usd(output)}`}`;
}

/**
 * Where the fixture says a hint goes: on the line with "@hint <id>", right after the last
 * closing character ( ) ' " ` ) before the comment.
 */
export function markerPosition(text: string, id: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((candidate) => new RegExp(`(//|#) @hint ${id}\\b`).test(candidate));
  if (line < 0) throw new Error(`no @hint ${id} in the fixture`);
  const source = lines[line] as string;
  const comment = source.search(/(\/\/|#) @hint /);
  const before = source.slice(0, comment);
  const character = Math.max(...[')', "'", '"', '`'].map((closer) => before.lastIndexOf(closer))) + 1;
  return { line, character };
}

export function markerIds(text: string): string[] {
  return [...text.matchAll(/(?:\/\/|#) @hint ([\w-]+)/g)].map((match) => match[1] as string);
}
