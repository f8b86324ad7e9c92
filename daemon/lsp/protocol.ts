import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { PriceOverride } from '../pricing/price';

/**
 * The hint server's contract with the extension: settings, and the custom LSP messages beyond
 * the standard ones (inlay hints, hover, CodeLens, diagnostics). Both sides import this file.
 * Only types and constants here, so the extension bundle pulls in no server code.
 */

/** Where the gateway's admin API listens (always 127.0.0.1). The token is the daemon token. */
export interface GatewayEndpoint {
  port: number;
  token: string;
}

export interface CurrencyFormat {
  /** ISO 4217 code used to display amounts ("USD"). Prices are in USD; perUsd converts. */
  code: string;
  /**
   * Significant digits of an estimate under one unit (2 shows $0.000052 and $0.0049: a call's
   * cost is often a tiny fraction of a cent, and "<$0.0001" tells nothing).
   */
  significantDigits: number;
  /** Units of `code` per US dollar (1 for USD). */
  perUsd: number;
}

export interface HintSettings {
  /** Each kind of hint can be turned off on its own. */
  hints: { inlayHints: boolean; hover: boolean; codeLens: boolean; diagnostics: boolean };
  /** Model assumed when the code does not name one the server can read (e.g. a template variable). */
  defaultModel: string;
  currency: CurrencyFormat;
  /** .prompt / .prompty files are analysed when enabled; .md only with `markdown` or tollgate/analyzeFile. */
  promptFiles: { enabled: boolean; markdown: boolean };
  /** The same overrides as the gateway's config, so the editor and the gateway agree on price. */
  priceOverrides: Record<string, PriceOverride>;
}

export const DEFAULT_SETTINGS: HintSettings = {
  hints: { inlayHints: true, hover: true, codeLens: true, diagnostics: true },
  defaultModel: 'gpt-4o-mini',
  currency: { code: 'USD', significantDigits: 2, perUsd: 1 },
  promptFiles: { enabled: true, markdown: false },
  priceOverrides: {},
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Record<string, unknown> ? DeepPartial<T[K]> : T[K] };
export type HintSettingsInput = DeepPartial<HintSettings>;

/**
 * `initializationOptions` of the LanguageClient. Later changes arrive through
 * workspace/didChangeConfiguration as `{ settings: { tollgate: HintSettingsInput } }` (the shape
 * vscode-languageclient sends for `synchronize.configurationSection: 'tollgate'`), and through
 * tollgate/gatewayChanged for the gateway.
 */
export interface InitializationOptions {
  settings?: HintSettingsInput;
  gateway?: GatewayEndpoint | null;
}

export const CONFIGURATION_SECTION = 'tollgate';

/**
 * Client → server. The extension found, started or lost the gateway. `null` = no gateway: the
 * server keeps giving estimates and drops the measured CodeLens figures and the routing row.
 */
export interface GatewayChangedParams {
  gateway: GatewayEndpoint | null;
}
export const GatewayChangedNotification = {
  method: 'tollgate/gatewayChanged',
  type: new NotificationType<GatewayChangedParams>('tollgate/gatewayChanged'),
} as const;

/**
 * Client → server. The gateway logged new requests (the extension relays its live feed). The
 * server debounces these, forgets its measured figures and asks the client to refresh CodeLens.
 */
export interface RequestLoggedParams {
  /** How many requests arrived since the last notification (informational). */
  count?: number;
}
export const RequestLoggedNotification = {
  method: 'tollgate/requestLogged',
  type: new NotificationType<RequestLoggedParams>('tollgate/requestLogged'),
} as const;

/**
 * Client → server. Analyse a prompt file on request (a command), including kinds that are not
 * analysed by default (.md). The document stays opted in while it is open, so it then gets
 * inlay hints, hover and diagnostics like any other.
 */
export interface AnalyzeFileParams {
  uri: string;
  /** The text, when the document is not open in the editor (else the open document is used). */
  text?: string;
}
export interface PromptSummary {
  /** Zero-based, UTF-16, as LSP ranges. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The inlay hint text, e.g. "≈ 1,204 tok · $0.0030". */
  label: string;
  model: string;
  tokens: number;
  /** The text has unknown spans: `tokens` is a lower bound. */
  lowerBound: boolean;
  /** Input cost in USD; null when the model's price is unknown. */
  inputUsd: number | null;
}
export interface AnalyzeFileResult {
  uri: string;
  prompts: PromptSummary[];
}
export const AnalyzeFileRequest = {
  method: 'tollgate/analyzeFile',
  type: new RequestType<AnalyzeFileParams, AnalyzeFileResult, void>('tollgate/analyzeFile'),
} as const;

/**
 * The command a measured-figures CodeLens runs when clicked; the extension registers it (e.g. to
 * open the usage panel filtered to this call site). Its single argument is CallSiteLensArgs.
 */
export const CALL_SITE_COMMAND = 'tollgate.showCallSite';
export interface CallSiteLensArgs {
  uri: string;
  /** Zero-based line of the call. */
  line: number;
  /** What links the call site to logged requests (daemon/shared/message-hash.ts). */
  hashes: string[];
  tag: string | null;
}
