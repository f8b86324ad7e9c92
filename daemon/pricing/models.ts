/**
 * Model-name facts for estimates made before a call exists (the hint server): which price-table
 * provider a bare model name belongs to, and which models to suggest as cheaper alternatives.
 * The gateway does not need these: it knows the provider it sent a call to.
 */

/**
 * The price-table provider for a model name as written in code, or undefined when unknown.
 *  - "vendor/model" (OpenRouter / AI SDK gateway style): the vendor ("openai/gpt-4o" → openai).
 *  - gpt-*, chatgpt-*, o1/o3/o4…, text-embedding-*, codex-*: openai.
 *  - claude-*: anthropic.   - gemini-*: google.   - mistral-*, codestral-*, ministral-*: mistral.
 *  - deepseek-*: deepseek.  - grok-*: x-ai.
 * Anything else is unknown, and its price is shown as unknown, never as $0.
 */
export function pricingProviderForModel(model: string): string | undefined {
  const slash = model.indexOf('/');
  if (slash > 0) return VENDOR_ALIASES[model.slice(0, slash)] ?? model.slice(0, slash);
  return FAMILY_RULES.find(([pattern]) => pattern.test(model))?.[1];
}

const FAMILY_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(gpt-|chatgpt-|o\d(-|$)|text-embedding-|codex-|ft:gpt-)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'google'],
  [/^(mistral-|codestral-|ministral-|open-mistral-)/, 'mistral'],
  [/^deepseek-/, 'deepseek'],
  [/^grok-/, 'x-ai'],
];

/** AI SDK provider function names and gateway prefixes that differ from the price table's ids. */
const VENDOR_ALIASES: Readonly<Record<string, string>> = {
  xai: 'x-ai',
  'google-vertex': 'google',
  vertex: 'google',
  vertexai: 'google',
  googleai: 'google',
  gemini: 'google',
};

export type ModelUse = 'chat' | 'embedding';

export interface CandidateModel {
  pricingProvider: string;
  model: string;
}

/**
 * Current general-purpose models per provider, from which cheaper alternatives are picked (their
 * prices come from the price table, so only the names live here). Reasoning-only and deprecated
 * models are left out on purpose: the table also lists models nobody should switch to.
 */
const CANDIDATES: Readonly<Record<ModelUse, readonly CandidateModel[]>> = {
  chat: [
    ...['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini'].map((model) => ({ pricingProvider: 'openai', model })),
    ...['claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-3-5-haiku-latest'].map((model) => ({ pricingProvider: 'anthropic', model })),
    ...['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash-lite'].map((model) => ({ pricingProvider: 'google', model })),
  ],
  embedding: ['text-embedding-3-large', 'text-embedding-3-small'].map((model) => ({ pricingProvider: 'openai', model })),
};

/** Candidates for the given use, the given provider's own first (same family preferred). */
export function candidateModels(use: ModelUse, pricingProvider: string | undefined): CandidateModel[] {
  const all = CANDIDATES[use];
  return [...all.filter((c) => c.pricingProvider === pricingProvider), ...all.filter((c) => c.pricingProvider !== pricingProvider)];
}

/** Embedding models are priced per input token only and are never an alternative to a chat model. */
export function modelUse(model: string): ModelUse {
  return /(^|\/)(text-embedding-|embed-|gemini-embedding)/.test(model) ? 'embedding' : 'chat';
}

/**
 * Models that think before they answer (OpenAI o-series and gpt-5, except the gpt-5 chat
 * variant): their hidden reasoning is billed as output, so an estimate without it is short.
 */
export function isReasoningModel(model: string): boolean {
  const bare = model.slice(model.indexOf('/') + 1);
  return /^(o\d(-|$)|gpt-5(?!-chat)|deepseek-reasoner)/.test(bare);
}
