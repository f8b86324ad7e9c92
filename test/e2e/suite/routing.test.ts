import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ConfigResponse } from '../../../daemon/gateway/api/config-contracts';
import type { RoutingModelsResponse } from '../../../daemon/gateway/api/contracts';
import { connectedGateway, sleep, waitFor } from './helpers';

/**
 * The routing commands, run through executeCommand with the arguments that skip their prompts;
 * the gateway's config (GET /config and the file it writes) must show each change.
 */
describe('routing commands change the gateway config', () => {
  async function config(): Promise<ConfigResponse> {
    const { admin } = await connectedGateway();
    return admin.get<ConfigResponse>('/tollgate/v1/config');
  }

  it('Set Routing Strategy sets an alias\'s strategy', async () => {
    assert.equal((await config()).config.models['fast']?.strategy, 'fallback', 'the fixture config starts with fallback');
    await vscode.commands.executeCommand('tollgate.setRoutingStrategy', 'fast', 'loadbalance');
    const after = await config();
    assert.equal(after.config.models['fast']?.strategy, 'loadbalance');
    const onDisk = JSON.parse(readFileSync(after.path, 'utf8')) as { models: Record<string, { strategy: string }> };
    assert.equal(onDisk.models['fast']?.strategy, 'loadbalance', 'written to config.json');
    await vscode.commands.executeCommand('tollgate.setRoutingStrategy', 'smart', 'least-latency');
    assert.equal((await config()).config.models['smart']?.strategy, 'least-latency');
  });

  it('Set Routing Strategy "auto" maps each tier to a model, offered with its price per million tokens', async () => {
    const { admin } = await connectedGateway();
    const offered = await admin.get<RoutingModelsResponse>('/tollgate/v1/routing/models');
    const mini = offered.models.find((model) => model.target === 'openai/gpt-4o-mini');
    assert.deepEqual([mini?.inputPerMillionUsd, mini?.outputPerMillionUsd], [0.15, 0.6], 'gpt-4o-mini at its published price');
    await vscode.commands.executeCommand('tollgate.setRoutingStrategy', 'auto', { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4.1', reasoning: 'openai/o3' });
    const after = await config();
    assert.deepEqual(after.config.routing.tiers, { simple: 'openai/gpt-4o-mini', complex: 'openai/gpt-4.1', reasoning: 'openai/o3' });
    const onDisk = JSON.parse(readFileSync(after.path, 'utf8')) as { routing: { tiers: Record<string, string> } };
    assert.equal(onDisk.routing.tiers['simple'], 'openai/gpt-4o-mini', 'written to config.json');
    assert.deepEqual((await admin.get<RoutingModelsResponse>('/tollgate/v1/routing/models')).tiers, after.config.routing.tiers);
  });

  it('Set Routing Strategy refuses an unknown strategy and leaves the config as it was', async () => {
    const before = await config();
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('tollgate.setRoutingStrategy', 'fast', 'cheapest-first')), /unknown strategy/);
    assert.deepEqual((await config()).config, before.config);
  });

  it('Set Budget sets and removes global and per-alias budgets', async () => {
    await vscode.commands.executeCommand('tollgate.setBudget', { scope: 'global', dailyUsd: 5, onLimit: 'downgrade', downgradeTo: 'fast' });
    await vscode.commands.executeCommand('tollgate.setBudget', { scope: 'smart', monthlyUsd: 40 });
    let current = (await config()).config;
    assert.equal(current.budgets?.dailyUsd, 5);
    assert.equal(current.budgets?.onLimit, 'downgrade');
    assert.equal(current.budgets?.downgradeTo, 'fast');
    assert.equal(current.models['smart']?.budget?.monthlyUsd, 40);
    assert.equal(current.models['smart']?.budget?.onLimit, 'block');
    await vscode.commands.executeCommand('tollgate.setBudget', { scope: 'global' });
    current = (await config()).config;
    assert.equal(current.budgets, undefined);
    assert.equal(current.models['smart']?.budget?.monthlyUsd, 40);
  });

  it('Toggle Cache flips the cache, or sets it with an argument', async () => {
    const start = (await config()).config.cache.enabled;
    assert.equal(await vscode.commands.executeCommand('tollgate.toggleCache'), !start);
    assert.equal((await config()).config.cache.enabled, !start);
    assert.equal(await vscode.commands.executeCommand('tollgate.toggleCache', false), false);
    assert.equal((await config()).config.cache.enabled, false);
  });

  it('Clear Cache empties the response cache: a repeated call is a hit before it and a miss after', async () => {
    const { state } = await connectedGateway();
    const ask = async (): Promise<string | null> => {
      const response = await fetch(`http://127.0.0.1:${state.port}/v1/chat/completions`, {
        method: 'POST',
        // A provider key of its own, passed through: the suite's gateway holds none for the fake.
        headers: { authorization: 'Bearer sk-e2e-clear-cache-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'Clear Cache e2e: the same question twice' }] }),
      });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return response.headers.get('x-tollgate-cache');
    };
    await vscode.commands.executeCommand('tollgate.toggleCache', true);
    try {
      assert.equal(await ask(), 'miss');
      // The answer is stored with its log row, a few milliseconds after the response.
      await waitFor(async () => (await ask()) === 'hit', 5_000, () => 'the repeated call never came from the cache');
      const deleted = (await vscode.commands.executeCommand('tollgate.clearCache')) as number;
      assert.ok(deleted >= 1, `removed ${deleted}`);
      assert.equal(await ask(), 'miss', 'after Clear Cache the same call goes to the provider again');
    } finally {
      await vscode.commands.executeCommand('tollgate.toggleCache', false);
    }
  });

  it('Copy Environment for Terminal gives the tollgate env lines for this gateway', async () => {
    const { state } = await connectedGateway();
    const text = (await vscode.commands.executeCommand('tollgate.copyEnvironment', 'bash')) as string;
    assert.deepEqual(text.split('\n'), [
      `export OPENAI_BASE_URL=http://127.0.0.1:${state.port}/v1`,
      `export OPENAI_API_KEY=${state.token}`,
      `export ANTHROPIC_BASE_URL=http://127.0.0.1:${state.port}`,
      `export ANTHROPIC_API_KEY=${state.token}`,
    ]);
  });

  it('Edit Routing Rules opens config.json, validated by the generated JSON Schema', async () => {
    const path = (await vscode.commands.executeCommand('tollgate.editRoutingRules')) as string;
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.equal(editor.document.uri.fsPath, path);
    assert.equal(editor.document.languageId, 'json');
    // An unknown top-level key: the schema is strict, so VS Code's JSON validation must flag it.
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), '  "notARealSetting": 1,\n'));
    let messages: string[] = [];
    await waitFor(
      () => {
        messages = vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.message);
        return messages.some((m) => m.includes('notARealSetting'));
      },
      20_000,
      () => `no schema diagnostic for the unknown key; diagnostics: ${JSON.stringify(messages)}`,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await sleep(100);
  });
});
