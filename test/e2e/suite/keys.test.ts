import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ConfigResponse } from '../../../daemon/gateway/api/config-contracts';
import type { KeysResponse } from '../../../daemon/gateway/api/contracts';
import { startFakeUpstream, type FakeUpstream } from '../../fixtures/fake-upstream';
import { connectedGateway, e2eEnv, extensionStatus, filesContaining, sleep, waitFor } from './helpers';

/**
 * A provider key added with "Add Provider Key" lives in SecretStorage and in the gateway's
 * memory: the gateway uses it for calls made with the daemon token, gets it back after a
 * restart, and no file anywhere holds it.
 */
describe('provider keys', () => {
  const provider = 'keycheck';
  const alias = 'e2e-secret';
  // Made here, so it exists only in this process, the secret store and the gateway's memory.
  const secret = `sk-e2e-${randomBytes(24).toString('hex')}`;
  let fake: FakeUpstream;

  before(async () => {
    fake = await startFakeUpstream();
    const { admin } = await connectedGateway();
    const { config } = await admin.get<ConfigResponse>('/tollgate/v1/config');
    config.providers.push({ id: provider, type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: [], modelPrefixes: [], pricingId: 'openai', headers: {} });
    await admin.put('/tollgate/v1/config', config);
  });

  after(async () => {
    await fake?.close();
    const { admin } = await connectedGateway();
    const { config } = await admin.get<ConfigResponse>('/tollgate/v1/config');
    config.providers = config.providers.filter((p) => p.id !== provider);
    await admin.put('/tollgate/v1/config', config);
  });

  async function chat(): Promise<Response> {
    const { state } = await connectedGateway();
    return fetch(`http://127.0.0.1:${state.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: `${provider}/gpt-4o-mini`, messages: [{ role: 'user', content: 'Say hello to the e2e test.' }] }),
    });
  }

  async function pushedAliases(): Promise<string[]> {
    const { admin } = await connectedGateway();
    const { providers } = await admin.get<KeysResponse>('/tollgate/v1/keys');
    return (providers.find((p) => p.provider === provider)?.keys ?? []).filter((k) => k.source === 'pushed').map((k) => k.alias);
  }

  it('Add Provider Key pushes the key to the gateway, which lists its alias', async () => {
    const aliases = await vscode.commands.executeCommand('tollgate.addProviderKey', provider, alias, secret);
    assert.deepEqual(aliases, [alias]);
    assert.deepEqual(await pushedAliases(), [alias]);
  });

  it('a call with the daemon token reaches the upstream carrying that key, logged under its alias', async () => {
    fake.reset();
    const response = await chat();
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0]!.apiKey, secret);
    const { admin } = await connectedGateway();
    let logged: { keyAlias: string | null; costUsd: number | null } | undefined;
    await waitFor(
      async () => {
        logged = (await admin.requests({ limit: 1, provider })).requests[0];
        return logged !== undefined;
      },
      5_000,
      () => 'the call was not logged',
    );
    assert.equal(logged!.keyAlias, alias);
    assert.ok((logged!.costUsd ?? 0) > 0, 'priced as gpt-4o-mini');
  });

  it('the key is pushed again when the gateway restarts (here: after it was killed)', async () => {
    const before = await connectedGateway();
    process.kill(before.state.pid, 'SIGKILL');
    await waitFor(
      async () => {
        const status = await extensionStatus();
        return status.gateway.kind === 'up' && status.gateway.pid !== before.state.pid;
      },
      45_000,
      () => 'the extension did not restart the gateway',
    );
    await waitFor(async () => (await pushedAliases()).includes(alias), 10_000, () => 'the key was not pushed to the new gateway');
    fake.reset();
    assert.equal((await chat()).status, 200);
    assert.equal(fake.requests[0]?.apiKey, secret);
  });

  it('no file holds the key: not the data dir, not the editor\'s user data, not the extension\'s storage', async () => {
    await sleep(500); // past the gateway's log-writer flush
    const status = await extensionStatus();
    const dirs = [status.dataDir, e2eEnv('TOLLGATE_E2E_USER_DATA_DIR'), ...status.storagePaths];
    for (const dir of dirs) assert.deepEqual(await filesContaining(dir, secret), [], `the key is in a file under ${dir}`);
    // The browser's profile is where VS Code for the Web keeps secrets when it persists them.
    const inBrowser = await filesContaining(e2eEnv('TOLLGATE_E2E_BROWSER_PROFILE'), secret);
    assert.deepEqual(inBrowser, [], 'the key is in a file of the browser profile');
    console.log(`      searched ${dirs.length + 1} directories: the key is in none`);
  });

  it('Remove Provider Key takes it out of the gateway\'s memory', async () => {
    assert.deepEqual(await vscode.commands.executeCommand('tollgate.removeProviderKey', provider, alias), []);
    assert.deepEqual(await pushedAliases(), []);
    const response = await chat();
    assert.equal(response.status, 401);
  });
});
