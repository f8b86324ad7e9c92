import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'mocha';
import { nativeBinding, UnsupportedNodeError } from '../../daemon/gateway/store/native-binding';
import { bindingDirName, describeMajors, parseBindingDirName, supportedMajor } from '../../daemon/shared/node-support';
import { nodeVersionProblem } from '../../extension/node-runtime';

describe('supported Node versions', () => {
  it('are listed as a user reads them', () => {
    assert.equal(describeMajors([20]), '20');
    assert.equal(describeMajors([22, 24]), '22 or 24');
    assert.equal(describeMajors([20, 22, 24]), '20, 22 or 24');
  });

  it("list the ABI this machine's Node reports for its major", function () {
    const entry = supportedMajor(Number(process.versions.node.split('.')[0]));
    if (!entry) this.skip();
    assert.equal(String(entry.abi), process.versions.modules);
  });

  it('name binding directories the way they are parsed back', () => {
    assert.equal(bindingDirName(127, 'linux-x64'), 'node-v127-linux-x64');
    assert.deepEqual(parseBindingDirName('node-v137-darwin-arm64'), { abi: 137, platform: 'darwin-arm64' });
    assert.equal(parseBindingDirName('README'), undefined);
  });

  const versions: [string, boolean][] = [
    ['20.19.0', true],
    ['22.23.5', true],
    ['24.21.0', true],
    ['18.20.8', false],
    ['23.11.0', false],
    ['26.12.1', false],
    ['not a version', false],
  ];
  for (const [version, supported] of versions) {
    it(`the extension ${supported ? 'accepts' : 'refuses, naming the setting,'} Node ${version}`, () => {
      const problem = nodeVersionProblem('/opt/node/bin/node', version);
      if (supported) return assert.equal(problem, undefined);
      assert.match(problem ?? '', new RegExp(`runs on Node\\.js ${describeMajors()}, and "/opt/node/bin/node" is Node\\.js ${version}`));
      assert.match(problem ?? '', /"tollgate\.daemon\.nodePath"/);
    });
  }
});

describe('native binding lookup (dist/native)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tollgate-native-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const node22 = { version: '22.23.5', abi: '127', platform: 'linux-x64' };
  const packaged = (name: string, dirs: string[]): string => {
    const dir = join(root, name);
    for (const sub of dirs) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'better_sqlite3.node'), '');
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it("is left to better-sqlite3 when there is no dist/native (run from sources: node_modules' build)", () => {
    assert.equal(nativeBinding(join(root, 'absent'), node22), undefined);
  });

  it('picks the binding for the running ABI and platform', () => {
    const dir = packaged('all', ['node-v115-linux-x64', 'node-v127-linux-x64', 'node-v137-linux-x64']);
    assert.equal(nativeBinding(dir, node22), join(dir, 'node-v127-linux-x64', 'better_sqlite3.node'));
  });

  it('refuses a Node the package has no binding for, naming the ones it has and the setting', () => {
    const dir = packaged('no-22', ['node-v115-linux-x64', 'node-v137-linux-x64']);
    assert.throws(
      () => nativeBinding(dir, node22),
      (error: Error) =>
        error instanceof UnsupportedNodeError &&
        error.message.includes('runs on Node.js 20 or 24 (linux-x64), and it was started with Node.js 22.23.5 (ABI 127) on linux-x64') &&
        error.message.includes('"tollgate.daemon.nodePath"'),
    );
  });

  it('says so when the package was built for another platform', () => {
    const dir = packaged('mac', ['node-v127-darwin-arm64']);
    assert.throws(() => nativeBinding(dir, node22), /for darwin-arm64 only, .* Install a Tollgate package built on linux-x64/);
  });
});
