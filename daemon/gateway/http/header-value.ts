/**
 * Header values built from what a caller or a provider said (the model asked for, the model a
 * provider says served the call). Node refuses, by throwing, any header value with a control
 * character or a character beyond Latin-1; one such value in a response used to end the daemon.
 * Latin-1 letters would pass Node but reach clients as bytes that most decode as UTF-8, i.e.
 * garbled, so anything outside printable ASCII is percent-encoded (UTF-8), the way
 * encodeURIComponent does: decodeURIComponent gives the original back. Printable ASCII, which is
 * every real model name, goes out untouched after one regular-expression test.
 */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Model names are short; a longer value is someone's experiment, and a huge one would overflow the client's header limit. */
export const MAX_HEADER_VALUE_CHARS = 256;

export function headerValue(text: string): string {
  if (text.length <= MAX_HEADER_VALUE_CHARS && !NOT_PRINTABLE_ASCII.test(text)) return text;
  return percentEncode(text.slice(0, MAX_HEADER_VALUE_CHARS));
}

/** Characters encodeURIComponent leaves as they are. */
const UNRESERVED = /[A-Za-z0-9\-_.!~*'()]/;

/**
 * encodeURIComponent's output, except that it cannot throw: Buffer.from writes a lone surrogate
 * (valid in a JSON string, and left by the cut above inside a pair) as U+FFFD instead.
 */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What Node itself accepts in a header value (its check, without the throw). */
const NODE_INVALID = /[^\t\x20-\x7e\x80-\xff]/;

export function isSendableHeaderValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isSendableHeaderValue);
  return typeof value === 'number' || (typeof value === 'string' && !NODE_INVALID.test(value));
}
