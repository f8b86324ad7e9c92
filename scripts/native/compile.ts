// Compiles better-sqlite3's binding from node_modules/better-sqlite3's sources against one Node
// release's headers, with the node-gyp that ships with npm.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, withoutNpmSettings, type NodeBuild } from './node-builds';

export const BETTER_SQLITE3 = join(ROOT, 'node_modules', 'better-sqlite3');

/**
 * Builds in a copy of the sources: node-gyp writes build/ next to binding.gyp, and the build in
 * node_modules is the one npm ci made for this machine's Node, which tests and `npm start` use.
 */
export async function compileBinding(build: NodeBuild, outFile: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `tollgate-native-${build.version}-`));
  try {
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(BETTER_SQLITE3, part), join(work, part), { recursive: true });
    await run(process.execPath, [nodeGyp(), 'rebuild', '--release', `--nodedir=${build.dir}`], work);
    mkdirSync(dirname(outFile), { recursive: true });
    // Renamed into place: an interrupted copy must not pass for a finished build next time.
    copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), `${outFile}.partial`);
    renameSync(`${outFile}.partial`, outFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** npm sets npm_config_node_gyp for the scripts it runs; run directly, npm's own copy is found beside it. */
function nodeGyp(): string {
  const fromNpm = process.env['npm_config_node_gyp'];
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const globalRoot = execFileSync('npm', ['root', '--global'], { encoding: 'utf8' }).trim();
  const script = join(globalRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(script)) throw new Error(`node-gyp not found (looked for ${script}); it ships with npm`);
  return script;
}

function run(file: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: withoutNpmSettings(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`node-gyp ${args.slice(1).join(' ')} failed (exit ${code}):\n${output.join('').split('\n').slice(-40).join('\n')}`));
    });
  });
}
