import { MAX_PROMPT_CHARS } from '../limits';
import { hole, normaliseParts, text, type StringPart } from './value';

/**
 * String literal decoding: the text a program sends is the cooked value of the literal, not
 * its source, so escapes are decoded before counting and hashing (a prompt written as
 * "Line 1\nLine 2" must hash like the two-line string the SDK sends).
 */

/**
 * The decoded text of source[start, end), reading at most MAX_PROMPT_CHARS of it: a longer
 * literal becomes its first part plus an unknown span, so a 5 MB string costs a bounded amount
 * and the hint says "≥".
 */
export function literalParts(source: string, start: number, end: number, decode: (raw: string) => string): StringPart[] {
  if (end - start <= MAX_PROMPT_CHARS) return [text(decode(source.slice(start, end)))];
  const rest = end - start - MAX_PROMPT_CHARS;
  return [text(decode(source.slice(start, start + MAX_PROMPT_CHARS))), hole(`${rest.toLocaleString('en-US')} more characters`)];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** JavaScript/TypeScript string and template escapes. */
export function decodeJsEscapes(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (escape.length > 1 && (escape[0] === 'u' || escape[0] === 'x')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (escape === '\n' || escape === '\r\n' || escape === '\r' || escape === '\u2028' || escape === '\u2029') return '';
    return SIMPLE_ESCAPES[escape] ?? escape;
  });
}

const PYTHON_ESCAPES: Readonly<Record<string, string>> = { ...SIMPLE_ESCAPES, a: '\x07', '\\': '\\', "'": "'", '"': '"' };

/** Python escapes (non-raw strings). Unknown escapes keep their backslash, as Python does. */
export function decodePythonEscapes(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|N\{[^}]*\}|\r\n|[\s\S])/g, (whole, escape: string) => {
    if (/^[Uux]/.test(escape) && escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/^[0-7]+$/.test(escape)) return String.fromCharCode(parseInt(escape, 8));
    if (escape.startsWith('N{')) return '\uFFFD';
    if (escape === '\n' || escape === '\r\n') return '';
    return PYTHON_ESCAPES[escape] ?? whole;
  });
}

/**
 * LangChain / Python str.format templates: "{name}" is filled at run time, "{{" and "}}" are
 * literal braces. Applied to the text parts only (holes and refs pass through).
 */
export function splitBraceTemplate(parts: readonly StringPart[]): StringPart[] {
  return normaliseParts(parts.flatMap((part) => (part.kind === 'text' ? splitBraces(part.text) : [part])));
}

function splitBraces(source: string): StringPart[] {
  if (!source.includes('{') && !source.includes('}')) return [text(source)];
  const out: StringPart[] = [];
  let literal = '';
  const pattern = /\{\{|\}\}|\{([^{}]*)\}/g;
  let last = 0;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    literal += source.slice(last, match.index);
    last = pattern.lastIndex;
    if (match[0] === '{{') literal += '{';
    else if (match[0] === '}}') literal += '}';
    else {
      out.push(text(literal), hole(match[0]));
      literal = '';
    }
  }
  out.push(text(literal + source.slice(last)));
  return out;
}

/** Handlebars / Jinja / Mustache ({{ name }}, {% … %}) as used by .prompt and .prompty files. */
export function splitMustache(source: string): StringPart[] {
  const out: StringPart[] = [];
  const pattern = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
  let last = 0;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    out.push(text(source.slice(last, match.index)), hole(match[0]));
    last = pattern.lastIndex;
  }
  out.push(text(source.slice(last)));
  return normaliseParts(out);
}
