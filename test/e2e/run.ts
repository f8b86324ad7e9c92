// The editor end-to-end run: a real VS Code (code-server) in headless Chromium, the extension
// loaded from source, the extension-host mocha suite run inside it, then checks in the workbench
// DOM. The only fake is the LLM provider (test/fixtures/fake-upstream).
//
//   npm run build && bash test/e2e/setup.sh && node --import tsx test/e2e/run.ts
//   (npm run test:e2e does all three.)  TOLLGATE_E2E_KEEP=1 keeps the sandbox for a look.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from '../../daemon/gateway/state-file';
import { startFakeUpstream } from '../fixtures/fake-upstream';
import { makeSandbox, startCodeServer, type CodeServer, type Sandbox } from './code-server';
import { gatewayConfig } from './gateway-config';
import { cleanupAll, killPid, onCleanup } from './processes';
import { ARTIFACTS, checkTools, ROOT } from './tools';
import { runUiChecks, type CheckResult } from './ui-checks';
import { launchBrowser, remoteUri, runExtensionTests, workbenchUrl } from './workbench';

const SUITE_TIMEOUT_MS = 240_000;

/** Every gateway pid seen in daemon.json (the suite kills one and the extension starts another). */
function watchDaemons(sandbox: Sandbox): Set<number> {
  const pids = new Set<number>();
  const timer = setInterval(() => {
    const state = readState(sandbox.tollgateHome);
    if (state) pids.add(state.pid);
  }, 250);
  onCleanup('gateway daemons', async () => {
    clearInterval(timer);
    const state = readState(sandbox.tollgateHome);
    if (state) pids.add(state.pid);
    for (const pid of pids) await killPid(pid);
  });
  return pids;
}

function saveLogs(sandbox: Sandbox, server: CodeServer | undefined): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (server) writeFileSync(join(ARTIFACTS, 'code-server.log'), server.output.join(''));
  const daemonLog = join(sandbox.tollgateHome, 'daemon.log');
  if (existsSync(daemonLog)) writeFileSync(join(ARTIFACTS, 'daemon.log'), readFileSync(daemonLog));
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  checkTools();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const sandbox = makeSandbox(mkdtempSync('/tmp/tge-'));
  onCleanup('sandbox', () => {
    if (process.env['TOLLGATE_E2E_KEEP']) console.log(`e2e: kept ${sandbox.root}`);
    else rmSync(sandbox.root, { recursive: true, force: true });
  });
  cpSync(join(__dirname, 'fixtures', 'workspace'), sandbox.workspace, { recursive: true });

  // Enough tokens per call that its cost shows in cents (the default answer costs a millionth of a dollar).
  const fake = await startFakeUpstream({ defaults: { usage: { promptTokens: 12_000, completionTokens: 3_000 } } });
  onCleanup('fake upstream', () => fake.close());
  mkdirSync(sandbox.tollgateHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(sandbox.tollgateHome, 'config.json'), JSON.stringify(gatewayConfig(fake), null, 2));
  watchDaemons(sandbox);

  let server: CodeServer | undefined;
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  try {
    server = await startCodeServer(sandbox);
    console.log(`e2e: code-server ${server.url} (${Date.now() - startedAt} ms)`);
    const browser = await launchBrowser(sandbox.browserProfile);
    const page = browser.pages()[0] ?? (await browser.newPage());

    const suiteEnv = {
      TOLLGATE_E2E_ROOT: ROOT,
      TOLLGATE_E2E_USER_DATA_DIR: sandbox.userDataDir,
      TOLLGATE_E2E_BROWSER_PROFILE: sandbox.browserProfile,
    };
    const suiteUrl = workbenchUrl(server, sandbox.workspace, [
      ['extensionDevelopmentPath', remoteUri(server, ROOT)],
      ['extensionTestsPath', remoteUri(server, join(ROOT, 'dist/e2e/suite.js'))],
      ['extensionEnvironment', JSON.stringify(suiteEnv)],
    ]);
    console.log('e2e: extension-host suite (mocha, inside VS Code)');
    // The workbench's own console (noise about the closed network) goes to the log file; mocha's output is shown.
    const workbenchLog: string[] = [];
    let echo = false;
    const suite = await runExtensionTests(page, suiteUrl, SUITE_TIMEOUT_MS, (line) => {
      workbenchLog.push(`${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s ${line}`);
      if (line.includes('E2E-SUITE-START')) echo = true;
      else if (echo && !line.startsWith('[err] ')) console.log(`  │ ${line}`);
    });
    writeFileSync(join(ARTIFACTS, 'workbench-console.log'), `${workbenchLog.join('\n')}\n`);
    const pending = Number(suite.lines.map((l) => /(\d+) pending/.exec(l)?.[1]).find(Boolean) ?? 0);
    console.log(`e2e: suite exit code ${suite.exitCode} (${suite.passed} passing, ${suite.failed} failing, ${pending} pending; ${Date.now() - startedAt} ms)`);
    passed += suite.passed;
    failed += suite.failed + (suite.exitCode !== 0 && suite.failed === 0 ? 1 : 0);
    skipped += pending;

    // The last labels the suite read: a measured call changes its site's label.
    const hintsLine = suite.lines.findLast((l) => l.includes('E2E-HINTS '));
    const suiteHints = hintsLine ? (JSON.parse(hintsLine.slice(hintsLine.indexOf('E2E-HINTS ') + 10)) as string[]) : undefined;
    const lensLine = suite.lines.find((l) => l.includes('E2E-LENS '));
    const suiteLens = lensLine ? (JSON.parse(lensLine.slice(lensLine.indexOf('E2E-LENS ') + 9)) as string) : undefined;
    console.log('e2e: workbench checks (Playwright)');
    const results: CheckResult[] = await runUiChecks({ page, server, sandbox, suiteHints, suiteLens }, (r) =>
      console.log(`  ${r.outcome === 'passed' ? '✔' : r.outcome === 'skipped' ? '-' : '✖'} ${r.name}: ${r.detail}`),
    );
    passed += results.filter((r) => r.outcome === 'passed').length;
    failed += results.filter((r) => r.outcome === 'failed').length;
    skipped += results.filter((r) => r.outcome === 'skipped').length;
    console.log(`e2e: workbench checks done (${Date.now() - startedAt} ms)`);
  } catch (error) {
    failed += 1;
    console.error(`e2e: ${(error as Error).stack ?? String(error)}`);
  } finally {
    saveLogs(sandbox, server);
    const cleanupStart = Date.now();
    await cleanupAll();
    console.log(`e2e: stopped code-server, Chromium, the gateway and the fake upstream in ${Date.now() - cleanupStart} ms`);
  }
  console.log(`e2e: screenshots and logs in ${ARTIFACTS}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await cleanupAll();
    process.exit(1);
  },
);
