// The ESM build: the default UMD one requires its parts at run time, which a bundle cannot follow.
import { findNodeAtLocation, modify, applyEdits, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { isRecord } from '../../shared/json';

/**
 * config.json is JSONC, as VS Code's own settings are: comments and trailing commas are allowed,
 * read and written with jsonc-parser (the parser VS Code uses). Problems are reported with their
 * line and column.
 */

/** Thrown for text that is not JSONC; `problems` say where. */
export class JsoncSyntaxError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) {
    throw new JsoncSyntaxError(errors.slice(0, 5).map((error) => `line ${position(text, error.offset)}: ${describe(printParseErrorCode(error.error))}`));
  }
  return value ?? {};
}

/**
 * For a text, a function giving "line 12, column 5" of the value at a zod issue's path (the
 * deepest node that exists: a missing field is reported where its object is). The text is parsed
 * once, however many paths are asked for.
 */
export function jsoncLocator(text: string): (path: readonly PropertyKey[]) => string | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (path) => {
    if (!tree) return undefined;
    const segments = path.filter((part): part is string | number => typeof part !== 'symbol');
    for (let length = segments.length; length >= 0; length--) {
      const node = findNodeAtLocation(tree, segments.slice(0, length));
      if (!node) continue;
      let line = lineStarts.length - 1;
      while (lineStarts[line]! > node.offset) line--;
      return `line ${line + 1}, column ${node.offset - lineStarts[line]! + 1}`;
    }
    return undefined;
  };
}

/**
 * The text with a JSON Merge Patch (RFC 7396) applied in place: every member the patch sets or
 * removes is edited where it stands, so comments, order and formatting elsewhere survive.
 */
export function patchText(text: string, patch: Record<string, unknown>): string {
  const formatting = { insertSpaces: true, tabSize: 2, eol: '\n' };
  // jsonc-parser's formatter grows worse than linearly with the value it lays out (a 10,000-element
  // array takes a quarter of a second): large values go in as compact JSON instead.
  const options = (value: unknown): { formattingOptions?: typeof formatting } => (JSON.stringify(value ?? null).length <= FORMAT_LIMIT ? { formattingOptions: formatting } : {});
  let out = text.trim() === '' ? '{}\n' : text;
  const walk = (path: (string | number)[], value: unknown): void => {
    if (isRecord(value)) {
      const current = findNodeAtLocation(parseTree(out, [], { allowTrailingComma: true }) ?? { type: 'null', offset: 0, length: 0 }, path);
      // An object replaces a non-object whole; into an object, its members merge one by one.
      if (current?.type === 'object') {
        for (const [name, member] of Object.entries(value)) walk([...path, name], member);
        return;
      }
      const members = withoutNulls(value);
      out = applyEdits(out, modify(out, path, members, options(members)));
      return;
    }
    out = applyEdits(out, modify(out, path, value === null ? undefined : value, options(value)));
  };
  for (const [name, member] of Object.entries(patch)) walk([name], member);
  return out;
}

/** Values up to this many characters of JSON are laid out like the rest of the file. */
const FORMAT_LIMIT = 4_096;

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    if (member === null) continue;
    out[name] = isRecord(member) ? withoutNulls(member) : member;
  }
  return out;
}

function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}, column ${offset - lineStart + 1}`;
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
