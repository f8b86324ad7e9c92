// Extension activation time in a real VS Code (code-server + headless Chromium, as the e2e run):
// from the moment the window is opened to activate() having returned, as the extension logs it
// ("activated in N ms (at T)"), plus how long until it is connected to the gateway.
//   npm run build && bash test/e2e/setup.sh && node --import tsx test/bench/activation.ts [--runs N]
// The first window finds no gateway and starts one (cold); the later ones reload the window and
// find it running (warm). --baseline also measures a do-nothing extension with the same id the
// same way: the extension host's own cost of loading any extension, for comparison.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readState } from '../../daemon/gateway/state-file';
import { makeSandbox, startCodeServer } from '../e2e/code-server';
import { cleanupAll, killPid, onCleanup } from '../e2e/processes';
import { checkTools, ROOT } from '../e2e/tools';
import { launchBrowser, remoteUri, workbenchUrl } from '../e2e/workbench';

interface Sample {
  run: number;
  kind: 'cold' | 'warm';
  /** Window opened (page.goto) → activate() returned. */
  toActivatedMs: number;
  /** Time spent inside activate() itself. */
  activateMs: number;
  /** The extension host starting to activate it (onStartupFinished) → activate() returned: loading its code + activate(). */
  loadAndActivateMs: number;
  /** Window opened → connected to a gateway (found, or started by the extension). */
  toGatewayMs: number | null;
}

function findFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(path, name));
    else if (entry.name === name) out.push(path);
  }
  return out;
}

/** LogOutputChannel lines start with a local timestamp: "2026-11-26 18:20:01.123 [info] …". */
function timestampOf(line: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})/.exec(line);
  return match ? new Date(`${match[1]}T${match[2]}`).getTime() : NaN;
}

async function waitForLog(logsDir: string, seen: Set<string>, timeoutMs: number): Promise<{ text: string; file: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of findFiles(logsDir, 'Tollgate.log')) {
      if (seen.has(file)) continue;
      const text = readFileSync(file, 'utf8');
      if (text.includes('activated in') && text.includes('connected to gateway')) {
        seen.add(file);
        return { text, file };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no Tollgate.log with "activated in" and "connected to gateway" under ${logsDir} in ${timeoutMs} ms`);
}

/** An extension that only logs the two lines the bench reads: what any extension costs. */
function writeBaselineExtension(dir: string): string {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'tollgate', publisher: 'tollgate', version: '0.0.0', engines: { vscode: '^1.91.0' }, main: './dist/extension.js', activationEvents: ['onStartupFinished'] }),
  );
  writeFileSync(
    join(dir, 'dist', 'extension.js'),
    `const vscode = require('vscode');
exports.activate = (context) => {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Tollgate', { log: true });
  context.subscriptions.push(log);
  const done = Date.now();
  log.info('activated in ' + (done - started) + ' ms (at ' + done + ')');
  log.info('connected to gateway (baseline: none)');
};
`,
  );
  return dir;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 6;
  const extensions: [string, string][] = [['tollgate', ROOT]];
  checkTools();
  const sandbox = makeSandbox(mkdtempSync('/tmp/tgb-'));
  onCleanup('sandbox', () => {
    if (process.env['TOLLGATE_E2E_KEEP']) console.log(`kept ${sandbox.root}`);
    else rmSync(sandbox.root, { recursive: true, force: true });
  });
  mkdirSync(sandbox.tollgateHome, { recursive: true, mode: 0o700 });
  // No provider keys are needed to start; the default providers are never called here.
  writeFileSync(join(sandbox.tollgateHome, 'config.json'), '{}\n');
  onCleanup('gateway daemon', async () => {
    const state = readState(sandbox.tollgateHome);
    if (state) await killPid(state.pid);
  });
  if (process.argv.includes('--baseline')) extensions.push(['baseline', writeBaselineExtension(join(sandbox.root, 'baseline'))]);
  const server = await startCodeServer(sandbox);
  const browser = await launchBrowser(sandbox.browserProfile);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const seen = new Set<string>();
  const results: [string, Sample[]][] = [];
  for (const [name, path] of extensions) {
    const url = workbenchUrl(server, sandbox.workspace, [['extensionDevelopmentPath', remoteUri(server, path)]]);
    const samples: Sample[] = [];
    for (let run = 1; run <= runs; run++) {
      await page.goto('about:blank');
      const opened = Date.now();
      await page.goto(url);
      const { text: log, file } = await waitForLog(join(sandbox.userDataDir, 'logs'), seen, 60_000);
      const activated = /activated in (\d+) ms \(at (\d+)\)/.exec(log)!;
      const connected = log.split('\n').find((line) => line.includes('connected to gateway'));
      // VS Code's own log of when it started activating the extension (same folder as ours, one up).
      const hostLog = readFileSync(join(dirname(dirname(file)), 'remoteexthost.log'), 'utf8');
      const requested = hostLog.split('\n').find((line) => line.includes('_doActivateExtension tollgate.tollgate'));
      samples.push({
        run,
        kind: run === 1 && name === 'tollgate' ? 'cold' : 'warm',
        toActivatedMs: Number(activated[2]) - opened,
        activateMs: Number(activated[1]),
        loadAndActivateMs: requested ? Number(activated[2]) - timestampOf(requested) : NaN,
        toGatewayMs: connected ? timestampOf(connected) - opened : null,
      });
    }
    results.push([name, samples]);
  }
  await cleanupAll();

  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  for (const [name, samples] of results) {
    console.log(`\n${name}`);
    console.log('run  kind  window→activated  host asks→activated (load+activate)  inside activate()  window→gateway connected');
    for (const s of samples) {
      console.log(
        `${String(s.run).padStart(3)}  ${s.kind}  ${`${s.toActivatedMs} ms`.padStart(16)}  ${`${s.loadAndActivateMs} ms`.padStart(35)}  ${`${s.activateMs} ms`.padStart(17)}  ${`${s.toGatewayMs ?? '–'} ms`.padStart(24)}`,
      );
    }
    const warm = samples.filter((s) => s.kind === 'warm');
    console.log(
      `${name} warm median: window→activated ${median(warm.map((s) => s.toActivatedMs))} ms, load+activate ${median(warm.map((s) => s.loadAndActivateMs))} ms, ` +
        `activate() ${median(warm.map((s) => s.activateMs))} ms` +
        (name === 'tollgate' ? `, window→gateway ${median(warm.map((s) => s.toGatewayMs ?? NaN))} ms` : ''),
    );
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanupAll();
  process.exit(1);
});
