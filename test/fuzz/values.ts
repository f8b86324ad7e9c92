import type { Random } from './random';

/**
 * Hostile values, as JSON text: a deeply nested value cannot be written with JSON.stringify
 * (it overflows the stack at a few thousand levels), so bodies are assembled from text.
 */

/** Pieces that have broken parsers, headers, tokenizers and terminals somewhere. */
const PIECES = [
  '日本語', 'café', 'ß', 'Ω', '\u0000', '\u0001', '\u0007', '\b', '\t', '\r\n', '\n', '\r', '\u001b[31m', '\u001f', '\u007f', '\u0080',
  '\u00ff', '\u0100', '\u2028', '\u2029', '\u202e', '\ufeff', '\uffff', '\ud800', '\udfff', '😀', '𝕏', '<|endoftext|>', '<|im_start|>',
  '%00', '%', '%E6%97', '${x}', '"', '\\', '/', '..', '\r\nx-evil: 1', ' ', 'null', '__proto__',
];

/** A short string mixing hostile pieces with plain text. */
export function hostileText(r: Random): string {
  let text = '';
  for (let i = r.int(1, 4); i > 0; i--) text += r.chance(0.3) ? 'abc' : r.pick(PIECES);
  return text;
}

/** Sometimes short, sometimes long enough to hurt (a single unbroken word, or a repeated mix). */
export function hostileString(r: Random): string {
  return r.weighted<() => string>([
    [6, () => hostileText(r)],
    [1, () => ''],
    [1, () => 'a'.repeat(r.pick([1_000, 20_000, 120_000]))],
    [1, () => hostileText(r).repeat(r.pick([100, 3_000]))],
  ])();
}

export function nested(r: Random, depth: number): string {
  return r.weighted<() => string>([
    [2, () => `${'['.repeat(depth)}"deep"${']'.repeat(depth)}`],
    // The shape the token estimate follows: content inside content.
    [2, () => `${'{"type":"text","content":'.repeat(depth)}"deep"${'}'.repeat(depth)}`],
    [1, () => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`],
  ])();
}

const NUMBERS = ['0', '-1', '1.5', '-0', '1e308', '-1e308', '1e309', '-1e309', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.0000001', '2147483648'];
const WRONG_TYPES = ['null', 'true', 'false', '[]', '{}', '""', '[null]', '[[]]', '{"":""}', '[{}]', '"0"'];

/** Any hostile JSON value: wrong types, extreme numbers, hostile strings, deep nesting, huge arrays. */
export function hostileJson(r: Random): string {
  return r.weighted<() => string>([
    [3, () => r.pick(WRONG_TYPES)],
    [2, () => r.pick(NUMBERS)],
    [4, () => JSON.stringify(hostileString(r))],
    [2, () => nested(r, r.pick([10, 1_000, 10_000, 100_000]))],
    [1, () => `[${'1,'.repeat(r.pick([1_000, 100_000]))}1]`],
    [1, () => `[${`{"type":"text","text":${JSON.stringify(hostileText(r))}},`.repeat(r.int(1, 500))}{"type":"text","text":"end"}]`],
  ])();
}

/** A header value Node's client will send (Latin-1, no control characters): control bytes go over raw sockets instead. */
export function latin1HeaderValue(r: Random): string {
  return r.weighted<() => string>([
    [3, () => Buffer.from(hostileText(r), 'utf8').toString('latin1').replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '?')],
    [2, () => String.fromCharCode(...Array.from({ length: r.int(1, 40) }, () => r.pick([r.int(0x20, 0x7e), r.int(0x80, 0xff)])))],
    [1, () => 'v'.repeat(r.pick([500, 8_000]))],
    [1, () => ''],
  ])();
}
