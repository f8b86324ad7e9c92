import { isReasoningModel } from '../../pricing/models';

/**
 * How many output tokens a call is expected to produce, and why we think so. In order:
 *  - `max`: the call caps its output (max_tokens and friends): the worst case;
 *  - `measured`: the gateway has seen this call site answer; its average reply (set by the
 *    feature layer, which has the gateway's figures);
 *  - `typical`: neither, so a stated typical reply, plus typical reasoning for a reasoning model.
 * Output is most of the bill for a chat (~78 % of measured gpt-4o spend), so input-only totals
 * mislead.
 */

/** A typical chat reply of a few paragraphs. Shown in the hover as the basis of the figure. */
export const TYPICAL_OUTPUT_TOKENS = 300;
/** Reasoning tokens of a typical short task at default effort, billed as output. */
export const TYPICAL_REASONING_TOKENS = 1_000;

export type OutputBasis = 'max' | 'measured' | 'typical';

export interface ExpectedOutput {
  tokens: number;
  basis: OutputBasis;
  /** Part of `tokens` that is hidden reasoning (typical basis only). */
  reasoningTokens: number;
}

/** Output for a model when the call sets no cap and nothing was measured. */
export function typicalOutput(model: string): ExpectedOutput {
  const reasoningTokens = isReasoningModel(model) ? TYPICAL_REASONING_TOKENS : 0;
  return { tokens: TYPICAL_OUTPUT_TOKENS + reasoningTokens, basis: 'typical', reasoningTokens };
}

/** The call's own cap, else a typical reply; undefined for a call without output (embeddings). */
export function expectedOutput(site: { replies: boolean; maxOutputTokens: number | undefined }, model: string): ExpectedOutput | undefined {
  if (!site.replies) return undefined;
  if (site.maxOutputTokens !== undefined) return { tokens: site.maxOutputTokens, basis: 'max', reasoningTokens: 0 };
  return typicalOutput(model);
}

/** The same estimate on another model (a cheaper alternative): a typical reply gains or loses reasoning. */
export function outputOn(output: ExpectedOutput, model: string): ExpectedOutput {
  if (output.basis !== 'typical') return output;
  return typicalOutput(model);
}
