import { existsSync } from 'node:fs';
import { join } from 'node:path';

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

/**
 * Offline token counting, shared by the gateway (when a provider sends no usage) and the hint
 * server (estimates in the editor). OpenAI models are counted exactly with their own encoding;
 * other families have no public offline tokenizer, so they are approximated with o200k_base and
 * the result says so.
 */

export interface TokenCount {
  tokens: number;
  /** True when the count comes from the model's own tokenizer. */
  exact: boolean;
  /** Relative uncertainty of an approximate count (0.1 = ±10 %). 0 when exact. */
  uncertainty: number;
}

export interface ChatMessageText {
  role: string;
  content: string;
  name?: string;
}

type Encoding = 'o200k_base' | 'cl100k_base';

/**
 * Each encoding's tables cost 35-55 MB of memory, and the gateway needs them only for the rare
 * provider that sends no usage (or for budgets): they are loaded on first use, not at start-up.
 * Bundled, each encoding is its own file beside the bundle (esbuild.mjs): inside the gateway's
 * bundle, 6 MB of tables the gateway rarely runs still cost ~45 MB of resident memory to load.
 */
const tokenizers = new Map<Encoding, Tokenizer>();
function tokenizer(encoding: Encoding): Tokenizer {
  let loaded = tokenizers.get(encoding);
  if (!loaded) {
    const beside = join(__dirname, `tokenizer-${encoding}.js`);
    loaded = require(existsSync(beside) ? beside : `gpt-tokenizer/encoding/${encoding}`) as Tokenizer;
    tokenizers.set(encoding, loaded);
  }
  return loaded;
}

const APPROXIMATE_UNCERTAINTY = 0.1;

/** Models on cl100k_base; every newer OpenAI model (gpt-4o, 4.1, 5, o-series) is on o200k_base. */
const CL100K_MODEL = /^(gpt-4(?![o.])|gpt-3\.5|text-embedding-(3|ada))/;
const OPENAI_MODEL = /^(gpt-|o\d|chatgpt-|codex-|text-embedding-|ft:gpt-)/;

export function encodingFor(model: string): { encoding: Encoding; exact: boolean } {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  if (CL100K_MODEL.test(bare)) return { encoding: 'cl100k_base', exact: true };
  return { encoding: 'o200k_base', exact: OPENAI_MODEL.test(bare) };
}

export function countTextTokens(text: string, model: string): TokenCount {
  const { encoding, exact } = encodingFor(model);
  const tokens = tokenizer(encoding).countTokens(text);
  return { tokens, exact, uncertainty: exact ? 0 : APPROXIMATE_UNCERTAINTY };
}

/** Counts a chat the way OpenAI bills it: message text plus the per-message and reply-priming overhead. */
export function countChatTokens(messages: readonly ChatMessageText[], model: string): TokenCount {
  const { encoding, exact } = encodingFor(model);
  const chat = messages.map((m) => ({ role: toChatRole(m.role), content: m.content, ...(m.name ? { name: m.name } : {}) }));
  const tokens = tokenizer(encoding).encodeChat(chat, encoding === 'cl100k_base' ? 'gpt-4' : 'gpt-4o').length;
  return { tokens, exact, uncertainty: exact ? 0 : APPROXIMATE_UNCERTAINTY };
}

type ChatRole = 'system' | 'user' | 'assistant';

/** Developer and tool messages cost the same framing as the three classic roles. */
function toChatRole(role: string): ChatRole {
  return role === 'assistant' || role === 'system' ? role : 'user';
}

/**
 * countChatTokens split into parts that can be cached per message (the hint server recounts
 * only the message an edit touched): for every model,
 *   countChatTokens(ms) === chatPrimingTokens(model) + Σ (chatFramingTokens(m.role, model) + countTextTokens(m.content).tokens)
 * because the chat format puts special tokens around each message's text, so no token spans two
 * messages (test/lsp checks this against gpt-tokenizer's encodeChat).
 */
export function chatPrimingTokens(model: string): number {
  return cachedFraming(model, PRIMING, () => countChatTokens([], model).tokens);
}

/** The tokens a message of this role costs on top of its text (role, separators). */
export function chatFramingTokens(role: string, model: string): number {
  const chatRole = toChatRole(role);
  return cachedFraming(model, chatRole, () => countChatTokens([{ role: chatRole, content: '' }], model).tokens - chatPrimingTokens(model));
}

const PRIMING = '<priming>';
const framing = new Map<string, number>();
function cachedFraming(model: string, part: string, compute: () => number): number {
  const key = `${encodingFor(model).encoding}/${part}`;
  let tokens = framing.get(key);
  if (tokens === undefined) {
    tokens = compute();
    framing.set(key, tokens);
  }
  return tokens;
}
