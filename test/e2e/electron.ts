// The same extension-host suite in desktop VS Code, through @vscode/test-electron, for machines
// that can download VS Code (this one cannot: see shared/VSCODE-E2E.md; run.ts is what CI uses).
//   npm run build && node --import tsx test/e2e/electron.ts
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { readState } from '../../daemon/gateway/state-file';
import { startFakeUpstream } from '../fixtures/fake-upstream';
import { makeSandbox } from './code-server';
import { gatewayConfig } from './gateway-config';
import { killPid } from './processes';
import { ROOT } from './tools';

async function main(): Promise<number> {
  const sandbox = makeSandbox(mkdtempSync(join(tmpdir(), 'tge-')));
  cpSync(join(__dirname, 'fixtures', 'workspace'), sandbox.workspace, { recursive: true });
  const fake = await startFakeUpstream({ defaults: { usage: { promptTokens: 12_000, completionTokens: 3_000 } } });
  mkdirSync(sandbox.tollgateHome, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(sandbox.tollgateHome, 'config.json'),
    JSON.stringify(gatewayConfig(fake), null, 2),
  );
  try {
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'dist/e2e/suite.js'),
      launchArgs: [sandbox.workspace, '--disable-extensions', '--user-data-dir', sandbox.userDataDir, '--extensions-dir', sandbox.extensionsDir],
      extensionTestsEnv: {
        TOLLGATE_HOME: sandbox.tollgateHome,
        TOLLGATE_E2E_ROOT: ROOT,
        TOLLGATE_E2E_USER_DATA_DIR: sandbox.userDataDir,
        // Desktop VS Code keeps secrets in the OS keychain; this stays empty and is searched anyway.
        TOLLGATE_E2E_BROWSER_PROFILE: sandbox.browserProfile,
      },
    });
    return 0;
  } catch (error) {
    console.error(`e2e (desktop): ${String(error)}`);
    return 1;
  } finally {
    const state = readState(sandbox.tollgateHome);
    if (state) await killPid(state.pid);
    await fake.close();
    rmSync(sandbox.root, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
