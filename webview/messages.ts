import type { AdviceResponse } from '../daemon/gateway/api/advice-contracts';
import type { SeriesResponse } from '../daemon/gateway/api/series-contracts';
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

/** The panel's range picker: each range reads hourly buckets but the longest, which reads days. */
export const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RangeName = keyof typeof RANGES;

/** The figures of the picked range: the stats and series endpoints' answers as they are, and the advice for the same window. */
export interface RangeData {
  range: RangeName;
  /** When they were read, ms since the epoch. */
  at: number;
  stats: StatsResponse;
  /** The same buckets' streams' time to first token, 429s and fallbacks. */
  series: SeriesResponse;
  advice: AdviceResponse;
}

/** The calls table's filters, as typed (empty: no filter). */
export interface CallsFilter {
  model?: string;
  provider?: string;
  tag?: string;
  /** "ok", "error" or a status code such as "429". */
  status?: string;
  cache?: string;
  /** A call site of the editor (a CodeLens click): its prompt's message hashes, comma-separated. */
  site?: string;
  /** How the call site is named in the panel ("prompts.ts:12"). */
  siteLabel?: string;
}

/** One page of the filtered calls of the picked range; `append` when it is an older page of the same list. */
export interface CallsPage {
  filter: CallsFilter;
  range: RangeName;
  requests: RequestLogEntry[];
  nextCursor: number | null;
  append: boolean;
  /** Why the gateway refused the filter (e.g. a status that is not a code). */
  error?: string;
}

export type GatewayView = { kind: 'starting' } | { kind: 'up'; url: string; version: string } | { kind: 'down'; message: string };

export type ExtensionToWebview =
  | { type: 'snapshot'; snapshot: UsageSnapshot; currency: CurrencyFormat }
  /** A call just logged (live feed); the next snapshot will include it in the totals. */
  | { type: 'request'; request: RequestLogEntry }
  | { type: 'gateway'; gateway: GatewayView }
  | { type: 'range'; data: RangeData }
  | { type: 'calls'; page: CallsPage }
  /** Show the calls of this filter (a CodeLens click asks for one call site's). */
  | { type: 'filter'; filter: CallsFilter };

/** Commands the panel's buttons may run; the extension runs nothing else on the webview's behalf. */
export const PANEL_COMMANDS = ['tollgate.restartGateway', 'tollgate.showLogs', 'tollgate.setRoutingStrategy', 'tollgate.setBudget', 'tollgate.copyEnvironment'] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

export type WebviewToExtension =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'run'; command: PanelCommand }
  | { type: 'range'; range: RangeName }
  /**
   * Applies the advice at this position of the last RangeData sent, through the command the
   * gateway named for it: the webview picks an item, never a command or its arguments.
   */
  | { type: 'applyAdvice'; index: number }
  /** The calls of the picked range matching the filter; with a cursor, the page older than it. */
  | { type: 'calls'; filter: CallsFilter; cursor?: number }
  | { type: 'openCall'; id: string }
  | { type: 'exportCalls'; filter: CallsFilter; format: 'csv' | 'json' };

/** Messages from a webview are untrusted input: check their shape before acting on them. */
export function isWebviewMessage(value: unknown): value is WebviewToExtension {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; command?: unknown; range?: unknown; index?: unknown; filter?: unknown; cursor?: unknown; id?: unknown; format?: unknown };
  switch (message.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'run':
      return (PANEL_COMMANDS as readonly unknown[]).includes(message.command);
    case 'range':
      return typeof message.range === 'string' && Object.hasOwn(RANGES, message.range);
    case 'applyAdvice':
      return Number.isInteger(message.index) && (message.index as number) >= 0;
    case 'calls':
      return isFilter(message.filter) && (message.cursor === undefined || (Number.isInteger(message.cursor) && (message.cursor as number) > 0));
    case 'openCall':
      return typeof message.id === 'string' && /^[A-Za-z0-9_]{1,100}$/.test(message.id);
    case 'exportCalls':
      return isFilter(message.filter) && (message.format === 'csv' || message.format === 'json');
    default:
      return false;
  }
}

const FILTER_KEYS: readonly string[] = ['model', 'provider', 'tag', 'status', 'cache', 'siteLabel'];
/** What the gateway's requests API takes for `site`: 1 to 16 message hashes. */
export const SITE_PATTERN = /^[0-9a-f]{16}(,[0-9a-f]{16}){0,15}$/;

function isFilter(value: unknown): value is CallsFilter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, text]) => text === undefined || (key === 'site' ? typeof text === 'string' && SITE_PATTERN.test(text) : FILTER_KEYS.includes(key) && typeof text === 'string' && text.length <= 200),
  );
}
