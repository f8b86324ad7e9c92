import { execFile } from 'node:child_process';
import { describeMajors, NODE_PATH_SETTING, supportedMajor } from '../daemon/shared/node-support';

export interface NodeRuntime {
  path: string;
  version: string;
}

/** Why the gateway cannot be started with the configured Node; the message tells the user what to do. */
export class NodeRuntimeError extends Error {}

const SETTING = `the setting "${NODE_PATH_SETTING}"`;

/**
 * Checks that `nodePath` (the setting tollgate.daemon.nodePath; "node" means the one on PATH)
 * runs and is a Node the package carries a SQLite binding for. The gateway runs on the user's
 * Node, never on the editor's, because better-sqlite3 is a native module; refusing here names the
 * fix before anything is started.
 */
export async function checkNodeRuntime(nodePath: string): Promise<NodeRuntime> {
  let version: string;
  try {
    version = await run(nodePath, ['-p', 'process.versions.node']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new NodeRuntimeError(
        nodePath === 'node'
          ? `Tollgate runs its gateway with Node.js ${describeMajors()}, and "node" is not on the PATH VS Code sees. Install Node.js, or point ${SETTING} at a node binary.`
          : `Tollgate cannot run "${nodePath}" (${code}). Point ${SETTING} at a Node.js ${describeMajors()} binary.`,
      );
    }
    throw new NodeRuntimeError(`"${nodePath} -p process.versions.node" failed: ${(error as Error).message}`);
  }
  const problem = nodeVersionProblem(nodePath, version);
  if (problem) throw new NodeRuntimeError(problem);
  return { path: nodePath, version };
}

/** What is wrong with running the gateway on Node `version`, if anything. */
export function nodeVersionProblem(nodePath: string, version: string): string | undefined {
  if (supportedMajor(Number(version.split('.')[0]))) return undefined;
  return `Tollgate's gateway runs on Node.js ${describeMajors()}, and "${nodePath}" is Node.js ${version}. Install one of those, or point ${SETTING} at one.`;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  });
}
