import { createHash } from 'node:crypto';

/**
 * Links logged requests to the call site in the code that made them, without scanning bodies.
 * The gateway indexes these hashes for every message of every chat call it logs; the hint
 * server computes the same hashes from the prompt text it finds in the editor and asks the
 * gateway which requests carry them.
 *
 *  - `full`: the whole text of a message, for a prompt written entirely as a literal.
 *  - `head` / `tail`: its first / last ANCHOR_CHARS characters, for a template whose holes
 *    are filled at run time but whose opening or closing text is fixed.
 */
export const ANCHOR_CHARS = 48;

export type MessageHashKind = 'full' | 'head' | 'tail';

export interface MessageHashes {
  full: string;
  /** Only for texts longer than ANCHOR_CHARS (shorter ones are covered by `full`). */
  head: string | undefined;
  tail: string | undefined;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function messageHashes(text: string): MessageHashes {
  const long = text.length > ANCHOR_CHARS;
  return {
    full: hashText(text),
    head: long ? hashText(text.slice(0, ANCHOR_CHARS)) : undefined,
    tail: long ? hashText(text.slice(-ANCHOR_CHARS)) : undefined,
  };
}

/**
 * The text of a message as the hashes see it: a string content as is; content parts (OpenAI
 * `[{type:"text", text}]`, Anthropic blocks) joined with "\n"; non-text parts ignored.
 */
export function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .map((part) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : undefined))
    .filter((text): text is string => text !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}
