// `npm run build:native`, part of `npm run package`: one better-sqlite3 binding per supported Node
// line (daemon/shared/node-support.ts) in dist/native/node-v<ABI>-linux-x64/, where the packaged
// daemon looks for it (daemon/gateway/store/native-binding.ts). A compile takes about a minute of
// one core, so bindings are kept in .tools/native/ by pinned Node and better-sqlite3 versions, and
// a re-run with the same versions only copies them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bindingDirName, SUPPORTED_NODES, type SupportedNode } from '../../daemon/shared/node-support';
import { BETTER_SQLITE3, compileBinding } from './compile';
import { assertPackagingPlatform, ensureNodeBuild, PACKAGING_PLATFORM, ROOT, TOOLS, type NodeBuild } from './node-builds';

const DIST_NATIVE = join(ROOT, 'dist', 'native');

interface Target {
  line: SupportedNode;
  build: NodeBuild;
  /** The compiled binding, kept across runs. */
  cached: string;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  assertPackagingPlatform();
  const sqliteVersion = (JSON.parse(readFileSync(join(BETTER_SQLITE3, 'package.json'), 'utf8')) as { version: string }).version;
  const targets: Target[] = await Promise.all(
    SUPPORTED_NODES.map(async (line) => ({
      line,
      build: await ensureNodeBuild(line.build),
      cached: join(TOOLS, 'native', `better-sqlite3-${sqliteVersion}`, `node-${line.build}-${PACKAGING_PLATFORM}`, 'better_sqlite3.node'),
    })),
  );
  // All at once: each build is one long compile of SQLite on one core, so three share two cores
  // better than they would queue.
  await Promise.all(
    targets
      .filter((target) => !existsSync(target.cached))
      .map(async (target) => {
        const began = Date.now();
        console.log(`native: compiling better-sqlite3 ${sqliteVersion} for Node ${target.build.version} (ABI ${target.line.abi})`);
        await compileBinding(target.build, target.cached);
        console.log(`native: Node ${target.build.version} done in ${seconds(began)}`);
      }),
  );
  // Rebuilt whole, so that a line dropped from the list leaves no binding behind for the package.
  rmSync(DIST_NATIVE, { recursive: true, force: true });
  for (const target of targets) {
    const sqlite = check(target);
    const out = join(DIST_NATIVE, bindingDirName(target.line.abi, PACKAGING_PLATFORM), 'better_sqlite3.node');
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(target.cached, out);
    console.log(`native: ${out.slice(ROOT.length + 1)} (Node ${target.build.version}, SQLite ${sqlite})`);
  }
  console.log(`native: ${targets.length} bindings in ${seconds(startedAt)}`);
}

/** Loads the binding with its own Node: proves the list's ABI and that the file opens a database. */
function check(target: Target): string {
  const script = `
    const [lib, binding, abi] = process.argv.slice(1);
    if (process.versions.modules !== abi) throw new Error('Node ' + process.version + ' has ABI ' + process.versions.modules + ', not ' + abi + ' as daemon/shared/node-support.ts says');
    const Database = require(lib);
    console.log(new Database(':memory:', { nativeBinding: binding }).prepare('select sqlite_version() as v').get().v);`;
  return execFileSync(target.build.node, ['-e', script, BETTER_SQLITE3, target.cached, String(target.line.abi)], { encoding: 'utf8' }).trim();
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

main().catch((error: Error) => {
  console.error(`native: ${error.message}`);
  process.exitCode = 1;
});
