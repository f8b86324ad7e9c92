/**
 * Hint-server benchmark, part of `npm run bench` (benchHints), or alone:
 * node --import tsx test/bench/lsp.ts [--runs N] [--edits N] [--dump FILE]
 *
 * A generated 5,000-line TypeScript file with many prompts of every kind is analysed the way the
 * server does it (the same Analysis and runAnalysis code, in-process, so only server time is
 * measured). Figures:
 *  - full analysis, cold (new tree, empty token-count cache) and warm (new tree, counts cached),
 *    split into parse / query + read / sites / count + price for the cold case;
 *  - per edit: 100 single-character edits in different places (in prompts, in identifiers, in
 *    indentation), each applied as an LSP incremental change and re-analysed;
 * each next to a baseline measured in the same run: a plain tree-sitter parse of the same file
 * without any query (full), and a plain incremental reparse for the same edit (per edit).
 * Timings are printed, never asserted. Machine-readable JSON follows the table.
 */
import { writeFileSync } from 'node:fs';
import { Parser, type Tree } from '@vscode/tree-sitter-wasm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCodeAnalysis, type Analysis } from '../../daemon/lsp/analyze/analysis';
import { clearCountCache, estimateSite } from '../../daemon/lsp/analyze/estimate';
import { runAnalysis } from '../../daemon/lsp/analyze/run';
import { loadGrammar } from '../../daemon/lsp/syntax/grammars';
import { applyChanges, toPoint } from '../../daemon/lsp/syntax/lsp-edits';
import { countTextTokens } from '../../daemon/pricing/tokens';

const RUNS = numberArg('--runs', 15);
const EDITS = numberArg('--edits', 100);
const LINES = 5_000;

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** One block of every prompt kind (helper-built ones too) plus ordinary code, about 75 lines. */
function block(i: number): string {
  return `
const SYSTEM_PROMPT_${i} = 'You are assistant number ${i}. Answer briefly, politely and precisely.';
const userPromptTemplate${i} = \`Summarize the following text in \${words} words for reader ${i}:\\n\${text}\`;
const MODEL_${i} = 'gpt-4o';

export async function chat${i}(question: string) {
  const response = await client.chat.completions.create({
    model: MODEL_${i},
    messages: [
      { role: 'system', content: SYSTEM_PROMPT_${i} },
      { role: 'user', content: \`Question ${i}: \${question}\` },
    ],
    max_tokens: 300,
  });
  return response.choices[0]?.message.content ?? '';
}

export async function respond${i}() {
  return client.responses.create({ model: 'gpt-4o-mini', instructions: 'Reply in French.', input: 'How are you today, number ${i}?' });
}

export async function embed${i}(texts: string[]) {
  return client.embeddings.create({ model: 'text-embedding-3-small', input: ['first document ${i}', 'second document ${i}'] });
}

export async function claude${i}() {
  return anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    system: 'You review contracts for block ${i}.',
    messages: [{ role: 'user', content: 'List the three riskiest clauses.' }],
    max_tokens: 1024,
  });
}

// Prompts built by helpers and a model from the environment: the server follows both.
function buildSystemPrompt${i}() {
  return \`You help team ${i}. \${SYSTEM_PROMPT_${i}}\`;
}

const buildMessages${i} = (question: string) => {
  const system = buildSystemPrompt${i}();
  return [{ role: 'system', content: system }, { role: 'user', content: \`Question for team ${i}: \${question}\` }];
};

export async function helped${i}(question: string, model = process.env.MODEL ?? MODEL_${i}) {
  return client.chat.completions.create({ model, messages: buildMessages${i}(question) });
}

export async function joke${i}() {
  return generateText({ model: openai('gpt-4o'), system: 'You are a comedian.', prompt: 'Tell me a joke about number ${i}.' });
}

export const template${i} = ChatPromptTemplate.fromMessages([
  ['system', 'You translate from {source} to {target}, block ${i}.'],
  ['human', '{text}'],
]);
export const simple${i} = PromptTemplate.fromTemplate('Tell me about {topic} in block ${i}.');

function helper${i}(values: number[]): number {
  const doubled = values.map((value) => value * 2).filter((value) => value > ${i % 7});
  let total = 0;
  for (const value of doubled) {
    if (value % 3 === 0) total += value;
    else total -= value / 2;
  }
  return Math.round(total * 100) / 100;
}

class Service${i} {
  private readonly cache = new Map<string, number>();
  lookup(key: string): number | undefined {
    return this.cache.get(key) ?? helper${i}([key.length, ${i}]);
  }
}
`;
}

function generate(): string {
  let source = "import OpenAI from 'openai';\nconst client = new OpenAI();\n";
  for (let i = 0; source.split('\n').length < LINES; i++) source += block(i);
  return source.split('\n').slice(0, LINES).join('\n') + '\n';
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
const median = (values: number[]): number => percentile(values, 50);

/** One pricing object for the whole run, as the server keeps one per settings version. */
const PRICING = { overrides: {} };

function options(document: TextDocument) {
  return {
    sliceMs: Number.POSITIVE_INFINITY,
    yieldNow: () => Promise.resolve(),
    stale: () => false,
    pointAt: (offset: number) => toPoint(document.positionAt(offset)),
    defaultModel: 'gpt-4o-mini',
    pricing: PRICING,
  };
}

async function fullAnalysis(source: string, cold: boolean): Promise<{ ms: number; sites: number; analysis: Analysis; document: TextDocument }> {
  const document = TextDocument.create('file:///bench.ts', 'typescript', 1, source);
  if (cold) clearCountCache();
  // A cold run must count and price again: new pricing options make every cached estimate stale.
  const pricing = cold ? { overrides: {} } : PRICING;
  const analysis = await createCodeAnalysis('typescript', 'file:///bench.ts');
  const start = performance.now();
  const results = await runAnalysis(analysis, source, { ...options(document), pricing });
  const ms = performance.now() - start;
  return { ms, sites: results?.sites.length ?? 0, analysis, document };
}

/** The cold run again, phase by phase (same functions runAnalysis calls). */
async function phases(source: string): Promise<Record<string, number>> {
  const document = TextDocument.create('file:///bench.ts', 'typescript', 1, source);
  clearCountCache();
  const analysis = await createCodeAnalysis('typescript', 'file:///bench.ts');
  const slice = { remainingMs: () => Number.POSITIVE_INFINITY, due: () => false, pointAt: (offset: number) => toPoint(document.positionAt(offset)) };
  // One step parses and scans; the parse alone is the baseline, measured apart.
  let t = performance.now();
  analysis.step(source, slice);
  const parseAndScan = performance.now() - t;
  t = performance.now();
  const sites = analysis.sites(source, 'gpt-4o-mini');
  const siteMs = performance.now() - t;
  t = performance.now();
  for (const site of sites) estimateSite(site, { overrides: {} });
  const countMs = performance.now() - t;
  analysis.dispose();
  return { parseAndScan, sites: siteMs, countAndPrice: countMs };
}

/**
 * Where edit `index` goes: in turn inside a prompt's text (the prompt's hint changes), inside an
 * identifier in ordinary code, and in the indentation of a random line. Like typing, the edits
 * keep the file free of syntax errors (error recovery makes tree-sitter's own reparse slower;
 * that cost is tree-sitter's, and the baseline would pay it too).
 */
function editOffset(text: string, index: number, random: () => number): number {
  const from = Math.floor(random() * text.length);
  if (index % 3 === 0) {
    const at = text.indexOf('Answer briefly', from);
    if (at >= 0) return at + 'Answer'.length;
  }
  if (index % 3 === 1) {
    const at = text.indexOf('total', from);
    if (at >= 0) return at + 'total'.length;
  }
  const line = text.indexOf('\n', from);
  return line >= 0 ? line + 1 : 0;
}

interface EditTiming {
  analysis: number;
  baseline: number;
}

async function edits(source: string): Promise<EditTiming[]> {
  const { analysis, document } = await fullAnalysis(source, false);
  const language = await loadGrammar('typescript');
  const parser = new Parser();
  parser.setLanguage(language);
  let baselineTree: Tree = parser.parse(source) as Tree;
  const baselineDoc = TextDocument.create('file:///baseline.ts', 'typescript', 1, source);
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const timings: EditTiming[] = [];
  for (let index = 0; index < EDITS; index++) {
    const offset = editOffset(document.getText(), index, random);
    const position = document.positionAt(offset);
    const change = { range: { start: position, end: position }, text: index % 3 === 2 ? ' ' : 'x' };

    let start = performance.now();
    applyChanges(document, [change], document.version + 1, (edit) => analysis.applyEdit(edit));
    await runAnalysis(analysis, document.getText(), options(document));
    const analysisMs = performance.now() - start;

    start = performance.now();
    applyChanges(baselineDoc, [change], baselineDoc.version + 1, (edit) =>
      baselineTree.edit({ startIndex: edit.start, oldEndIndex: edit.oldEnd, newEndIndex: edit.newEnd, startPosition: edit.startPoint, oldEndPosition: edit.oldEndPoint, newEndPosition: edit.newEndPoint }),
    );
    const next = parser.parse(baselineDoc.getText(), baselineTree) as Tree;
    const baselineMs = performance.now() - start;
    baselineTree.delete();
    baselineTree = next;
    timings.push({ analysis: analysisMs, baseline: baselineMs });
  }
  analysis.dispose();
  baselineTree.delete();
  parser.delete();
  return timings;
}

type FullRuns = { parse: number[]; cold: number[]; warm: number[]; sites: number };

/** Baseline, cold and warm runs interleaved, so that load from other processes hits all alike. */
async function fullRuns(source: string, parser: Parser): Promise<FullRuns> {
  const runs: FullRuns = { parse: [], cold: [], warm: [], sites: 0 };
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    (parser.parse(source) as Tree).delete();
    runs.parse.push(performance.now() - start);
    const cold = await fullAnalysis(source, true);
    runs.cold.push(cold.ms);
    runs.sites = cold.sites;
    cold.analysis.dispose();
    const warm = await fullAnalysis(source, false);
    runs.warm.push(warm.ms);
    warm.analysis.dispose();
  }
  return runs;
}

function printTable(rows: Array<[string, number, number | undefined]>): void {
  console.log(`| ${'measure'.padEnd(50)} | ${'ms'.padStart(8)} | ${'× baseline'.padStart(10)} |`);
  console.log(`|${'-'.repeat(52)}|${'-'.repeat(10)}|${'-'.repeat(12)}|`);
  for (const [name, ms, base] of rows) {
    console.log(`| ${name.padEnd(50)} | ${ms.toFixed(2).padStart(8)} | ${(base ? `${(ms / base).toFixed(2)}×` : '').padStart(10)} |`);
  }
}

/** Runs the benchmark, prints its table and returns the figures (the JSON `npm run bench` prints). */
export async function benchHints(): Promise<Record<string, unknown>> {
  const source = generate();
  const start = performance.now();
  const language = await loadGrammar('typescript');
  const parser = new Parser();
  parser.setLanguage(language);
  countTextTokens('warm up', 'gpt-4o');
  countTextTokens('warm up', 'claude-sonnet-4-5');
  const startupMs = performance.now() - start;

  const full = await fullRuns(source, parser);
  const split = await phases(source);
  const editTimings = await edits(source);
  const parseMs = median(full.parse);
  const editMs = editTimings.map((timing) => timing.analysis);
  const reparseMs = editTimings.map((timing) => timing.baseline);

  console.log(`hint server benchmark: ${LINES.toLocaleString('en-US')} lines, ${source.length.toLocaleString('en-US')} chars, ${full.sites} prompt sites; ${RUNS} runs, ${EDITS} edits`);
  console.log(`start-up (wasm init, TypeScript grammar, tokenizer tables): ${startupMs.toFixed(0)} ms, once per server\n`);
  printTable([
    ['baseline: tree-sitter parse, no queries (median)', parseMs, undefined],
    ['full analysis, cold (median)', median(full.cold), parseMs],
    ['  of which: parse + query + read values', split.parseAndScan ?? 0, parseMs],
    ['  of which: build sites (resolve names)', split.sites ?? 0, undefined],
    ['  of which: count tokens + price', split.countAndPrice ?? 0, undefined],
    ['full analysis, warm counts (median)', median(full.warm), parseMs],
    ['baseline: incremental reparse per edit (median)', median(reparseMs), undefined],
    ['per edit: analysis (median)', median(editMs), median(reparseMs)],
    ['per edit: analysis (p95)', percentile(editMs, 95), percentile(reparseMs, 95)],
  ]);
  console.log(`\ntargets: per edit (median) < 5 ms with helper-following on; full analysis < 50 ms`);
  const json = {
    lines: LINES,
    chars: source.length,
    sites: full.sites,
    runs: RUNS,
    edits: EDITS,
    startupMs,
    full: { baselineParseMs: parseMs, coldMs: median(full.cold), warmMs: median(full.warm), coldPhasesMs: split, coldRatio: median(full.cold) / parseMs, warmRatio: median(full.warm) / parseMs },
    edit: {
      medianMs: median(editMs),
      p95Ms: percentile(editMs, 95),
      baselineMedianMs: median(reparseMs),
      baselineP95Ms: percentile(reparseMs, 95),
      ratio: median(editMs) / median(reparseMs),
    },
  };
  return json;
}

async function main(): Promise<void> {
  const dump = process.argv.indexOf('--dump');
  if (dump >= 0) {
    // --dump FILE: write the generated file (to open it in an editor) and stop.
    writeFileSync(process.argv[dump + 1] ?? 'bench-lsp.ts', generate());
    return;
  }
  console.log(`\n${JSON.stringify(await benchHints())}`);
}

// Run alone (node --import tsx test/bench/lsp.ts); imported by run.ts, it only exports benchHints.
if (/[\\/]lsp\.ts$/.test(process.argv[1] ?? '')) void main();
