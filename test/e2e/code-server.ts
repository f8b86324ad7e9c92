// A real VS Code (code-server) with its own HOME, XDG dirs, profile and a short TMPDIR, so that a
// run touches nothing of the machine's user and leaves nothing behind.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawnGroup } from './processes';
import { CODE_SERVER_ENTRY, NODE24, USER_SETTINGS } from './tools';

export interface Sandbox {
  root: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  browserProfile: string;
  workspace: string;
  /** The gateway's data directory: the default one, ~/.tollgate, under the sandbox's HOME. */
  tollgateHome: string;
}

export function makeSandbox(root: string): Sandbox {
  const dirs = {
    root,
    home: join(root, 'home'),
    userDataDir: join(root, 'ud'),
    extensionsDir: join(root, 'ext'),
    browserProfile: join(root, 'chrome'),
    workspace: join(root, 'ws'),
    tollgateHome: join(root, 'home', '.tollgate'),
  };
  for (const dir of [...Object.values(dirs), join(root, 't'), join(root, 'xdg-config'), join(root, 'xdg-data'), join(root, 'xdg-cache')]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return dirs;
}

export interface CodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** What code-server printed (kept for the failure report). */
  output: string[];
}

export async function startCodeServer(sandbox: Sandbox, extraEnv: Record<string, string> = {}): Promise<CodeServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...withoutEditorVariables(process.env),
    HOME: sandbox.home,
    XDG_CONFIG_HOME: join(sandbox.root, 'xdg-config'),
    XDG_DATA_HOME: join(sandbox.root, 'xdg-data'),
    XDG_CACHE_HOME: join(sandbox.root, 'xdg-cache'),
    // Short: code-server puts unix sockets here, and their paths are limited to about 100 bytes.
    TMPDIR: join(sandbox.root, 't'),
    ...extraEnv,
  };
  delete env['TOLLGATE_HOME'];
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
    '--user-data-dir', sandbox.userDataDir,
    '--extensions-dir', sandbox.extensionsDir,
  ];
  const child = spawnGroup('code-server', NODE24, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) return { url, port, process: child, output };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not become healthy in 30 s:\n${output.join('')}`);
}

/** The runner may itself run inside an editor's terminal; its variables must not leak in. */
function withoutEditorVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(VSCODE_|ELECTRON_|CODE_SERVER)/.test(name)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
