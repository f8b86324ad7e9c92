// The .vsix as a user gets it: made by `npm run package`, unpacked, and its gateway started with
// each supported Node (this machine's own for its line, the pinned npm builds that the package step
// installs into .tools/ for the others). The only fake is the LLM provider.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import { requestsPage, type RequestLogEntry } from '../../daemon/gateway/api/contracts';
import { bindingDirName, describeMajors, SUPPORTED_NODES, type SupportedNode } from '../../daemon/shared/node-support';
import { checkNodeRuntime } from '../../extension/node-runtime';
import { nodeBuild, PACKAGING_PLATFORM, ROOT } from '../../scripts/native/node-builds';
import { DEFAULT_COMPLETION_TEXT, startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { baseConfig, OPENAI_KEY } from '../helpers/harness';
import { failedStart, listFiles, startPackagedDaemon, type DaemonRun } from './packaged-daemon';

const run = promisify(execFile);

/** This machine's node for its own line (as CI's Node 20), else the pinned build for that line. */
function nodeFor(line: SupportedNode): string {
  return process.versions.modules === String(line.abi) ? process.execPath : nodeBuild(line.build).node;
}

function bindingPath(extension: string, abi: number): string {
  return join(extension, 'dist', 'native', bindingDirName(abi, PACKAGING_PLATFORM), 'better_sqlite3.node');
}

describe('the packaged extension (npm run package, unpacked)', function () {
  // A cold run compiles SQLite once per Node line: about 1.5 min on two cores (README, "Tests").
  this.timeout(15 * 60_000);
  let work: string;
  let extension: string;
  let fake: FakeUpstream;
  let config: string;
  let dataDirs = 0;

  const daemonRun = (node: string, extensionDir = extension): DaemonRun => ({
    node,
    extension: extensionDir,
    dataDir: mkdtempSync(join(work, `data-${dataDirs++}-`)),
    config,
    env: { ...process.env, TOLLGATE_HOME: undefined, TOLLGATE_TOKEN: undefined, TEST_OPENAI_KEY: OPENAI_KEY },
  });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tollgate-vsix-'));
    const vsix = join(work, 'tollgate.vsix');
    const packaged = await run('npm', ['run', 'package', '--', '--out', vsix], { cwd: ROOT, maxBuffer: 16 << 20 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`npm run package failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    // What the native build did (compiled, or reused bindings from .tools/native) and how long it took.
    for (const line of packaged.stdout.split('\n').filter((text) => text.startsWith('native:'))) console.log(`      ${line}`);
    // A .vsix is a zip; Python is there wherever node-gyp can build better-sqlite3.
    execFileSync('python3', ['-m', 'zipfile', '-e', vsix, join(work, 'unpacked')]);
    extension = join(work, 'unpacked', 'extension');
    fake = await startFakeUpstream();
    config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify(baseConfig(fake)));
  });
  after(async () => {
    await fake?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('carries exactly one SQLite binding per supported Node line, and not the build machine’s own', () => {
    const files = listFiles(extension);
    const natives = files.filter((file) => file.endsWith('.node')).sort();
    assert.deepEqual(natives, SUPPORTED_NODES.map((line) => `dist/native/${bindingDirName(line.abi, PACKAGING_PLATFORM)}/better_sqlite3.node`).sort());
    assert.deepEqual(files.filter((file) => /node_modules\/(bindings|file-uri-to-path|better-sqlite3\/build)\//.test(file)), []);
    assert.ok(files.includes('node_modules/better-sqlite3/lib/index.js'), "better-sqlite3's JavaScript is packaged");
  });

  for (const line of SUPPORTED_NODES) {
    it(`runs its gateway on Node ${line.major}: a chat call through the openai SDK is answered and logged`, async () => {
      const node = nodeFor(line);
      assert.equal((await run(node, ['-p', 'process.versions.modules'])).stdout.trim(), String(line.abi), `Node ${line.major}'s ABI`);
      assert.match((await checkNodeRuntime(node)).version, new RegExp(`^${line.major}\\.`), "the extension's pre-start check accepts it");
      const daemon = await startPackagedDaemon(daemonRun(node));
      try {
        const { port, token, pid } = daemon.state;
        const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 });
        const tag = `vsix-node-${line.major}`;
        const { data, response } = await client.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello from Node ${line.major}` }] }, { headers: { 'x-tollgate-tag': tag } })
          .withResponse();
        assert.equal(response.status, 200);
        assert.equal(data.choices[0]?.message.content, DEFAULT_COMPLETION_TEXT);
        assert.equal(response.headers.get('x-tollgate-provider'), 'openai');

        const logged = await waitForLogged(port, token, tag);
        assert.equal(logged.status, 200);
        assert.equal(logged.endpoint, 'chat');
        assert.equal(logged.requestedModel, 'gpt-4o-mini');
        assert.equal(logged.promptTokens, data.usage?.prompt_tokens);
        // The daemon (and its log-writer thread) loaded this line's packaged binding, nothing else.
        const loaded = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').flatMap((entry) => /\S+\.node$/.exec(entry) ?? []);
        assert.deepEqual([...new Set(loaded)], [bindingPath(extension, line.abi)]);
      } finally {
        await daemon.stop();
      }
    });
  }

  it('answers a reworded question from its semantic cache with the local encoder it ships (model and WebAssembly in the package)', async () => {
    const files = listFiles(extension);
    assert.ok(files.includes('dist/embed-worker.js') && files.includes('dist/embed-model/model.json') && files.includes('dist/embed-model/tfjs-backend-wasm-simd.wasm'));
    const semanticConfig = join(work, 'semantic-config.json');
    writeFileSync(semanticConfig, JSON.stringify({ ...baseConfig(fake), cache: { enabled: true, semantic: { enabled: true } } }));
    const daemon = await startPackagedDaemon({ ...daemonRun(process.execPath), config: semanticConfig });
    try {
      const { port, token } = daemon.state;
      const ask = (content: string) =>
        fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content }] }),
        });
      assert.equal((await ask('What is the capital of Japan?')).headers.get('x-tollgate-cache'), 'miss');
      const reworded = await ask('Please, what is the capital of Japan?');
      assert.equal(reworded.status, 200);
      assert.equal(reworded.headers.get('x-tollgate-cache'), 'semantic-hit');
    } finally {
      await daemon.stop();
    }
  });

  it('refuses to start on a Node whose binding the package lacks, naming the Node versions it has and the setting', async () => {
    const own = SUPPORTED_NODES.find((line) => String(line.abi) === process.versions.modules);
    const abi = own?.abi ?? Number(process.versions.modules);
    const trimmed = join(work, `without-${abi}`, 'extension');
    cpSync(extension, trimmed, { recursive: true });
    rmSync(join(bindingPath(trimmed, abi), '..'), { recursive: true, force: true });
    const others = `Node.js ${describeMajors(SUPPORTED_NODES.filter((line) => line !== own).map((line) => line.major))}`;
    const expected = `runs on ${others} (${PACKAGING_PLATFORM}), and it was started with Node.js ${process.versions.node} (ABI ${abi})`;

    const foreground = await failedStart(daemonRun(process.execPath, trimmed));
    assert.equal(foreground.code, 1);
    assert.ok(foreground.output.includes(expected), foreground.output);
    assert.match(foreground.output, /point the setting "tollgate\.daemon\.nodePath" at a/);
    assert.doesNotMatch(foreground.output, /dlopen|NODE_MODULE_VERSION|\n\s+at /, 'no loader stack trace');

    // As the extension starts it: detached, the message still reaches the caller, not only daemon.log.
    const detached = daemonRun(process.execPath, trimmed);
    const result = await run(process.execPath, [join(trimmed, 'dist', 'tollgate.js'), 'start', '--port', '0', '--data-dir', detached.dataDir, '--config', config], { env: detached.env }).then(
      () => assert.fail('started'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(expected), result.stderr);
  });
});

async function waitForLogged(port: number, token: string, tag: string, timeoutMs = 10_000): Promise<RequestLogEntry> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/tollgate/v1/requests?tag=${encodeURIComponent(tag)}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const { requests } = requestsPage.parse(await response.json());
    if (requests.length > 0) {
      assert.equal(requests.length, 1, 'one call, one log row');
      return requests[0]!;
    }
    if (Date.now() > deadline) throw new Error(`no logged request tagged ${tag} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
