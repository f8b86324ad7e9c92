import * as vscode from 'vscode';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, type CurrencyFormat, type HintSettingsInput } from '../daemon/lsp/protocol';

/**
 * The extension's settings (package.json contributes.configuration), read in one place. The
 * hint settings are laid out exactly as daemon/lsp/protocol.ts HintSettings, so the whole
 * "tollgate" section can be handed to the hint server as it is.
 */
export interface Settings {
  nodePath: string;
  port: number;
  hints: HintSettingsInput;
  currency: CurrencyFormat;
}

export const SECTION = CONFIGURATION_SECTION;

/** Changes that take effect only when the extension (re)starts the gateway. */
export const REQUIRES_GATEWAY_RESTART = [`${SECTION}.daemon.nodePath`, `${SECTION}.daemon.port`] as const;

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const defaults = DEFAULT_SETTINGS;
  const currency: CurrencyFormat = {
    code: config.get<string>('currency.code', defaults.currency.code),
    significantDigits: config.get<number>('currency.significantDigits', defaults.currency.significantDigits),
    perUsd: config.get<number>('currency.perUsd', defaults.currency.perUsd),
  };
  return {
    nodePath: config.get<string>('daemon.nodePath', 'node').trim() || 'node',
    port: config.get<number>('daemon.port', 4141),
    hints: {
      hints: {
        inlayHints: config.get<boolean>('hints.inlayHints', defaults.hints.inlayHints),
        hover: config.get<boolean>('hints.hover', defaults.hints.hover),
        codeLens: config.get<boolean>('hints.codeLens', defaults.hints.codeLens),
        diagnostics: config.get<boolean>('hints.diagnostics', defaults.hints.diagnostics),
      },
      defaultModel: config.get<string>('defaultModel', defaults.defaultModel),
      currency,
      promptFiles: {
        enabled: config.get<boolean>('promptFiles.enabled', defaults.promptFiles.enabled),
        markdown: config.get<boolean>('promptFiles.markdown', defaults.promptFiles.markdown),
      },
    },
    currency,
  };
}
