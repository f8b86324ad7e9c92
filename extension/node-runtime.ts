import { execFile } from 'node:child_process';

/** The gateway's native module (better-sqlite3) is built for Node 20 and later. */
export const MIN_NODE_MAJOR = 20;

export interface NodeRuntime {
  path: string;
  version: string;
}

/** Why the gateway cannot be started with the configured Node; the message tells the user what to do. */
export class NodeRuntimeError extends Error {}

/**
 * Checks that `nodePath` (the setting tollgate.daemon.nodePath; "node" means the one on PATH)
 * runs and is recent enough. The gateway runs on the user's Node, never on the editor's, because
 * better-sqlite3 is built for the machine's Node.
 */
export async function checkNodeRuntime(nodePath: string): Promise<NodeRuntime> {
  const setting = 'the setting "tollgate.daemon.nodePath"';
  let version: string;
  try {
    version = await run(nodePath, ['-p', 'process.versions.node']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new NodeRuntimeError(
        nodePath === 'node'
          ? `Tollgate runs its gateway with Node.js ${MIN_NODE_MAJOR} or newer, and "node" is not on the PATH VS Code sees. Install Node.js, or point ${setting} at a node binary.`
          : `Tollgate cannot run "${nodePath}" (${code}). Point ${setting} at a Node.js ${MIN_NODE_MAJOR}+ binary.`,
      );
    }
    throw new NodeRuntimeError(`"${nodePath} -p process.versions.node" failed: ${(error as Error).message}`);
  }
  const major = Number(version.split('.')[0]);
  if (!Number.isInteger(major) || major < MIN_NODE_MAJOR) {
    throw new NodeRuntimeError(
      `Tollgate's gateway needs Node.js ${MIN_NODE_MAJOR} or newer; "${nodePath}" is ${version}. Install a newer Node.js or point ${setting} at one.`,
    );
  }
  return { path: nodePath, version };
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  });
}
