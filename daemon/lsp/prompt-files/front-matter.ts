/**
 * The few front-matter fields the hint server needs, read without a YAML library: prompt files
 * put the model either on one line (`model: gpt-4o`, Dotprompt) or in a block (Prompty:
 * `model:` → `configuration:` → `azure_deployment:` / `model:`, plus `parameters: max_tokens:`).
 */

export interface FrontMatter {
  model: string | undefined;
  maxOutputTokens: number | undefined;
  /** Offset where the body starts (after the closing `---` line). */
  bodyStart: number;
  /** Offset of the closing `---` line. */
  closingLineStart: number;
}

const MODEL_KEYS = ['model', 'azure_deployment', 'deployment', 'name'];
const MAX_OUTPUT_KEYS = new Set(['max_tokens', 'max_output_tokens', 'max_completion_tokens', 'maxoutputtokens', 'maxtokens']);

export function readFrontMatter(source: string): FrontMatter | undefined {
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(source);
  if (!open) return undefined;
  const close = /^---[ \t]*(\r?\n|$)/m;
  const rest = source.slice(open[0].length);
  const end = close.exec(rest);
  if (!end) return undefined;
  const lines = rest.slice(0, end.index).split(/\r?\n/).map(parseLine).filter((line) => line !== undefined);
  const closingLineStart = open[0].length + end.index;
  return { model: modelName(lines), maxOutputTokens: maxOutput(lines), bodyStart: closingLineStart + end[0].length, closingLineStart };
}

interface Line {
  indent: number;
  key: string;
  value: string;
}

function parseLine(line: string): Line | undefined {
  const match = /^(\s*)([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line.replace(/\s+#.*$/, ''));
  if (!match) return undefined;
  return { indent: (match[1] ?? '').length, key: (match[2] ?? '').toLowerCase(), value: unquote(match[3] ?? '') };
}

function unquote(value: string): string {
  return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `model: x` at the top, else the first model-ish key inside the `model:` block. */
function modelName(lines: Line[]): string | undefined {
  const index = lines.findIndex((line) => line.indent === 0 && line.key === 'model');
  const top = lines[index];
  if (!top) return undefined;
  if (top.value) return top.value;
  const block: Line[] = [];
  for (const line of lines.slice(index + 1)) {
    if (line.indent === 0) break;
    block.push(line);
  }
  for (const key of MODEL_KEYS) {
    const found = block.find((line) => line.key === key && line.value);
    if (found) return found.value;
  }
  return undefined;
}

function maxOutput(lines: Line[]): number | undefined {
  const line = lines.find((candidate) => MAX_OUTPUT_KEYS.has(candidate.key) && /^\d+$/.test(candidate.value));
  return line ? Number(line.value) : undefined;
}
