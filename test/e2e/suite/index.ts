// The extension-host test suite: loaded by VS Code itself (extensionTestsPath) inside the window
// that runs the extension from source, in the @vscode/test-electron runner style: run() resolves
// when every test passed and rejects otherwise. Built to dist/e2e/suite.js by esbuild.mjs.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // The test files are bundled in: define mocha's globals, then load them, in this order.
  mocha.suite.emit('pre-require', globalThis, 'dist/e2e/suite.js', mocha);
  // test/e2e/run.ts echoes the workbench's console from this line on.
  console.log('E2E-SUITE-START');
  require('./activation.test');
  require('./routing.test');
  require('./keys.test');
  require('./hints.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
