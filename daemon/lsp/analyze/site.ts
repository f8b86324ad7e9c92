import type { Span } from '../syntax/spans';
import type { Part } from './resolve';

/**
 * A prompt site: one place in a document that sends (or defines) a prompt, with its text as far
 * as the server can know it. This is what gets counted, priced, shown and linked to the gateway.
 */

export interface Message {
  /** Chat role as the API sees it (system, user, assistant, developer…); '' for plain text. */
  role: string;
  /** Text and unknown spans, adjacent text joined. */
  parts: Part[];
  /** Content blocks without text (images, files): they cost tokens the server cannot count. */
  nonText: number;
}

export interface ModelChoice {
  /** As written at the call ("gpt-4o", "openai/gpt-4o"); also what the gateway is asked about. */
  display: string;
  /** Without a vendor prefix, for the price table and the tokenizer. */
  model: string;
  pricingProvider: string | undefined;
  /**
   * Where the name came from: the call itself, a constant in the file, the code's fallback for a
   * value set at run time (an environment variable), the call that sends this prompt variable,
   * or the default setting (the file does not say).
   */
  source: 'literal' | 'constant' | 'fallback' | 'call' | 'default';
}

export type SiteFormat = 'chat' | 'text';

export interface PromptSite {
  /** Which pattern found it (for the hover title): "OpenAI chat.completions", "prompt variable"… */
  label: string;
  /** The call, declaration or file region; hover and diagnostics use it. Moves with edits. */
  readonly span: Span;
  /** chat: counted as a chat (per-message framing); text: counted as plain text. */
  format: SiteFormat;
  messages: Message[];
  /** Messages may exist that are not listed (a spread, a variable, a placeholder). */
  open: boolean;
  model: ModelChoice;
  maxOutputTokens: number | undefined;
  /** The call gets a reply (output tokens); embeddings do not. */
  replies: boolean;
  /** A literal x-tollgate-tag header passed at the call. */
  tag: string | undefined;
  /**
   * How logged requests can be linked to the site: by message hashes and tag (chat, messages and
   * responses calls, whose message texts the gateway indexes), by tag only (embeddings), or not
   * at all (templates and prompt variables are not calls).
   */
  link: 'messages' | 'tag' | 'none';
}

export function knownText(message: Message): string {
  let known = '';
  for (const part of message.parts) if (part.kind === 'text') known += part.text;
  return known;
}

export function isFullyLiteral(message: Message): boolean {
  return message.nonText === 0 && message.parts.every((part) => part.kind === 'text');
}

/** Labels of the unknown spans, in order of appearance, for the hover. */
export function unknownSpans(site: PromptSite): string[] {
  const labels: string[] = [];
  for (const message of site.messages) {
    for (const part of message.parts) if (part.kind === 'hole') labels.push(part.label);
    if (message.nonText > 0) labels.push(`${message.nonText} non-text block${message.nonText > 1 ? 's' : ''}`);
  }
  if (site.open) labels.push('messages not in the file');
  return labels;
}
