// Builds every bundle: one BuildOptions per bundle. tsc only type-checks (npm run typecheck).
//   node esbuild.mjs             build everything
//   node esbuild.mjs --if-stale  build only when a source is newer than dist/ (used by npm start)
//   node esbuild.mjs --watch     rebuild on change
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
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
  // A native module: loaded from node_modules at run time, built for the Node that runs the daemon.
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

/** config.schema.json comes from the zod schema: bundle the generator, run it, keep its output. */
async function buildConfigSchema() {
  mkdirSync('dist', { recursive: true });
  const generator = 'dist/.gen-config-schema.cjs';
  await esbuild.build({ ...common, sourcemap: false, entryPoints: ['scripts/gen-config-schema.ts'], outfile: generator });
  execFileSync(process.execPath, [generator, 'dist/config.schema.json'], { stdio: 'inherit' });
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

if (watch) {
  for (const options of bundles) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all([...bundles.map((options) => esbuild.build(options)), buildConfigSchema()]);
}
