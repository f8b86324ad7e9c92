import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bindingDirName, describeMajors, NODE_PATH_SETTING, parseBindingDirName, platformKey, SUPPORTED_NODES } from '../../shared/node-support';

/**
 * Beside the bundles: dist/tollgate.js and dist/log-worker.js both look in dist/native. Run from
 * sources this is daemon/gateway/store/native, which never exists.
 */
const NATIVE_DIR = join(__dirname, 'native');
const BINDING_FILE = 'better_sqlite3.node';

/** The Node running the gateway has no binding in this package; the message says which Node to use instead. */
export class UnsupportedNodeError extends Error {}

export interface NodeRuntimeId {
  version: string;
  abi: string;
  platform: string;
}

/**
 * The better-sqlite3 binding for the Node running this process, for its `nativeBinding` option.
 * A package (`npm run package`) carries one per supported ABI in dist/native. Run from sources
 * there is none, and undefined lets better-sqlite3 find its node_modules build, which npm ci made
 * for this Node. A package without this Node's ABI throws here, where dlopen would otherwise fail
 * with a stack trace that names no way out.
 */
export function nativeBinding(nativeDir: string = NATIVE_DIR, runtime: NodeRuntimeId = currentRuntime()): string | undefined {
  if (!existsSync(nativeDir)) return undefined;
  const file = join(nativeDir, bindingDirName(runtime.abi, runtime.platform), BINDING_FILE);
  if (existsSync(file)) return file;
  throw new UnsupportedNodeError(unsupportedMessage(readdirSync(nativeDir), runtime));
}

function currentRuntime(): NodeRuntimeId {
  return { version: process.versions.node, abi: process.versions.modules, platform: platformKey() };
}

/** Names what the package does carry, so that a wrong platform and a wrong Node read differently. */
function unsupportedMessage(packagedDirs: readonly string[], runtime: NodeRuntimeId): string {
  const packaged = packagedDirs.flatMap((name) => parseBindingDirName(name) ?? []);
  const majors = SUPPORTED_NODES.filter((node) => packaged.some((p) => p.abi === node.abi && p.platform === runtime.platform)).map((node) => node.major);
  const started = `it was started with Node.js ${runtime.version} (ABI ${runtime.abi}) on ${runtime.platform}`;
  if (majors.length === 0) {
    const platforms = [...new Set(packaged.map((p) => p.platform))].join(', ') || 'no platform';
    return `This Tollgate package carries its gateway's SQLite module for ${platforms} only, and ${started}. Install a Tollgate package built on ${runtime.platform}.`;
  }
  const versions = `Node.js ${describeMajors(majors)}`;
  return (
    `Tollgate's gateway runs on ${versions} (${runtime.platform}), and ${started}. ` +
    `In VS Code, point the setting "${NODE_PATH_SETTING}" at a ${versions} binary; from a terminal, run tollgate with one.`
  );
}
