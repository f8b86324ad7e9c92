import * as vscode from 'vscode';
import type { GatewayApi } from './gateway-api';
import { required } from './config-edit';
import { log } from './log';
import type { StoredKey } from './secrets';
import type { Services } from './services';

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Tollgate: Add Provider Key. The key goes to SecretStorage and to the gateway's memory
 * (PUT /keys/:provider); it is never written to a file. The alias is what logs and stats show.
 */
export async function addProviderKey(services: Services, provider?: string, alias?: string, value?: string): Promise<string[]> {
  const { api } = await services.supervisor.ensure();
  const providerId = provider ?? (await pickProvider(api));
  await checkProvider(api, providerId);
  const keyAlias =
    alias ??
    required(
      await vscode.window.showInputBox({
        title: `Tollgate: a name for this ${providerId} key`,
        prompt: 'Shown in logs and stats instead of the key',
        value: `${providerId}-vscode`,
        validateInput: (text) => (ALIAS.test(text) ? undefined : 'Letters, digits, ".", "_" and "-"'),
      }),
    );
  if (!ALIAS.test(keyAlias)) throw new Error(`key alias "${keyAlias}" must be letters, digits, ".", "_" or "-"`);
  const keyValue =
    value ??
    required(
      await vscode.window.showInputBox({
        title: `Tollgate: ${providerId} API key "${keyAlias}"`,
        prompt: 'Kept in VS Code SecretStorage and in the gateway’s memory; never written to a file',
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() ? undefined : 'Paste the key'),
      }),
    );
  const keys = await services.keys.add(providerId, { alias: keyAlias, value: keyValue.trim() });
  await push(api, providerId, keys);
  log.info(`key "${keyAlias}" added for provider "${providerId}"`);
  void vscode.window.showInformationMessage(`Tollgate: key "${keyAlias}" added for ${providerId}.`);
  return keys.map((k) => k.alias);
}

/** Tollgate: Remove Provider Key, from SecretStorage and from the gateway's memory. */
export async function removeProviderKey(services: Services, provider?: string, alias?: string): Promise<string[]> {
  let providerId = provider;
  let keyAlias = alias;
  if (providerId === undefined || keyAlias === undefined) {
    const stored = Object.entries(await services.keys.all()).flatMap(([p, keys]) => keys.map((k) => ({ label: k.alias, description: p, provider: p })));
    if (stored.length === 0) {
      void vscode.window.showInformationMessage('Tollgate: no provider keys were added from VS Code.');
      return [];
    }
    const picked = required(await vscode.window.showQuickPick(stored, { title: 'Tollgate: remove which key?' }));
    providerId = picked.provider;
    keyAlias = picked.label;
  }
  const keys = await services.keys.remove(providerId, keyAlias);
  const connection = services.supervisor.current;
  if (connection) await push(connection.api, providerId, keys);
  log.info(`key "${keyAlias}" removed for provider "${providerId}"`);
  void vscode.window.showInformationMessage(`Tollgate: key "${keyAlias}" removed.`);
  return keys.map((k) => k.alias);
}

async function push(api: GatewayApi, provider: string, keys: StoredKey[]): Promise<void> {
  if (keys.length === 0) await api.deleteKeys(provider);
  else await api.pushKeys(provider, keys);
}

async function pickProvider(api: GatewayApi): Promise<string> {
  const { providers } = await api.keys();
  return required(
    await vscode.window.showQuickPick(
      providers.map((p) => ({ label: p.provider, description: p.keys.length ? p.keys.map((k) => `${k.alias} (${k.source})`).join(', ') : 'no keys' })),
      { title: 'Tollgate: add a key for which provider?' },
    ),
  ).label;
}

async function checkProvider(api: GatewayApi, provider: string): Promise<void> {
  const { providers } = await api.keys();
  if (!providers.some((p) => p.provider === provider)) {
    throw new Error(`no provider "${provider}" in the gateway config (known: ${providers.map((p) => p.provider).join(', ')})`);
  }
}
