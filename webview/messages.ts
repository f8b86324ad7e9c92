import type { Aggregate, BudgetStatusEntry, RequestLogEntry, StatsResponse } from '../daemon/gateway/api/contracts';

/**
 * Everything the extension and the usage panel say to each other, as one discriminated union per
 * direction. The webview never talks to the gateway: the extension reads the admin API and the
 * live feed and relays them here (which also works in remote and web VS Code, where the
 * browser cannot reach the daemon).
 */

export interface CurrencyFormat {
  /** ISO 4217 code. */
  code: string;
  /** Units of `code` per US dollar (the gateway prices in USD). */
  perUsd: number;
}

export interface SeriesPoint {
  /** Start of the hour, ms since the epoch. */
  start: number;
  costUsd: number;
  requests: number;
  p50: number | null;
  p90: number | null;
}

export interface UsageSnapshot {
  /** When the figures were read, ms since the epoch. */
  at: number;
  /** Since local midnight. */
  today: Aggregate;
  byModel: StatsResponse['byModel'];
  /** Hourly, the last 24 hours, oldest first; hours without calls are absent. */
  series: SeriesPoint[];
  /** Newest first. */
  recent: RequestLogEntry[];
  /** Every configured spend limit with today's (or this month's) state; empty without budgets. */
  budgets: BudgetStatusEntry[];
}

export type GatewayView = { kind: 'starting' } | { kind: 'up'; url: string; version: string } | { kind: 'down'; message: string };

export type ExtensionToWebview =
  | { type: 'snapshot'; snapshot: UsageSnapshot; currency: CurrencyFormat }
  /** A call just logged (live feed); the next snapshot will include it in the totals. */
  | { type: 'request'; request: RequestLogEntry }
  | { type: 'gateway'; gateway: GatewayView };

/** Commands the panel's buttons may run; the extension runs nothing else on the webview's behalf. */
export const PANEL_COMMANDS = ['tollgate.restartGateway', 'tollgate.showLogs', 'tollgate.setRoutingStrategy', 'tollgate.setBudget'] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

export type WebviewToExtension = { type: 'ready' } | { type: 'refresh' } | { type: 'run'; command: PanelCommand };

/** Messages from a webview are untrusted input: check their shape before acting on them. */
export function isWebviewMessage(value: unknown): value is WebviewToExtension {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; command?: unknown };
  if (message.type === 'ready' || message.type === 'refresh') return true;
  return message.type === 'run' && (PANEL_COMMANDS as readonly unknown[]).includes(message.command);
}
