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

/**
 * A 64-bit non-cryptographic hash (two 32-bit multiply-xorshift lanes, as in cyrb53), as 16 hex
 * digits. Nothing here needs collision resistance against an adversary, and the gateway hashes
 * every message of every call: this is 5-6x cheaper than sha256 per message (measured 0.33 µs
 * vs 1.82 µs on a 70-character prompt), with no native code, so the hint server can run it too.
 */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/**
 * The index key the gateway stores for a hash: its first 52 bits as an integer (exact in a JS
 * number, and half the index size of the hex text).
 */
export function hashKey(hash: string): number {
  return parseInt(hash.slice(0, 13), 16);
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
