import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isAlive } from '../../../daemon/gateway/cli/find-daemon';
import { describeMajors } from '../../../daemon/shared/node-support';
import { activateExtension, connectedGateway, extensionStatus } from './helpers';

describe('activation', () => {
  it('finds or starts the gateway: daemon.json (0600) describes a daemon that answers health with its token', async () => {
    await activateExtension();
    const { state, admin, status } = await connectedGateway();
    const stateFile = join(status.dataDir, 'daemon.json');
    assert.equal(statSync(stateFile).mode & 0o777, 0o600, 'daemon.json holds the token: mode 0600');
    const health = await admin.health();
    assert.equal(health.ok, true);
    assert.equal(health.pid, state.pid);
    assert.equal(health.port, state.port);
    assert.equal(health.dataDir, status.dataDir);
    assert.ok(status.gateway.kind === 'up' && status.gateway.pid === state.pid, 'the extension is connected to that daemon');
    assert.ok(status.activation.activatedAt !== undefined && status.activation.activatedAt >= status.activation.startedAt);
    console.log(`      gateway pid ${state.pid} on port ${state.port}; activate() took ${status.activation.activatedAt - status.activation.startedAt} ms`);
  });

  it('registers every command it contributes, from activation on', async () => {
    const extension = await activateExtension();
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 11);
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('shows today\'s spend and health in the status bar, and relays usage for the panel', async () => {
    await connectedGateway();
    let status = await extensionStatus();
    for (let i = 0; i < 50 && !status.usage; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await extensionStatus();
    }
    assert.ok(status.usage, 'usage figures were read from the gateway');
    assert.equal(typeof status.usage.todayUsd, 'number');
  });

  it('Restart Gateway replaces the daemon with a new one, which the extension then uses', async () => {
    const before = await connectedGateway();
    const pid = (await vscode.commands.executeCommand('tollgate.restartGateway')) as number;
    assert.notEqual(pid, before.state.pid);
    assert.equal(isAlive(before.state.pid), false, 'the old daemon stopped');
    const after = await connectedGateway();
    assert.equal(after.state.pid, pid);
    assert.equal((await after.admin.health()).pid, pid);
  });

  it('says clearly when the Node.js it should start the gateway with is missing', async () => {
    const settings = vscode.workspace.getConfiguration('tollgate');
    try {
      await settings.update('daemon.nodePath', '/nonexistent/bin/node', vscode.ConfigurationTarget.Global);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('tollgate.restartGateway')),
        new RegExp(`cannot run "/nonexistent/bin/node".*Node\\.js ${describeMajors()} binary`),
      );
      const status = await extensionStatus();
      assert.equal(status.gateway.kind, 'down');
    } finally {
      await settings.update('daemon.nodePath', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('tollgate.restartGateway');
    assert.equal((await extensionStatus()).gateway.kind, 'up');
  });
});
