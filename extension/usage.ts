import * as vscode from 'vscode';
import type { RequestLogEntry } from '../daemon/gateway/api/contracts';
import type { UsageSnapshot } from '../webview/messages';
import { startOfLocalDay } from '../daemon/shared/local-time';
import type { GatewayApi } from './gateway-api';
import { errorMessage, log } from './log';

const RECENT = 25;
/** Live calls arrive in bursts; the totals are re-read once the burst settles. */
const REFRESH_DEBOUNCE_MS = 400;
const DAY_MS = 24 * 3_600_000;

/**
 * Today's spend, spend by model, latency and recent calls, read from the admin API. The status
 * bar and the usage panel both render it; it is re-read when a gateway connects and shortly
 * after each live call.
 */
export class UsageModel implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<UsageSnapshot>();
  readonly onDidChange = this.changeEmitter.event;
  private latest: UsageSnapshot | undefined;
  private api: GatewayApi | undefined;
  private timer: NodeJS.Timeout | undefined;

  get snapshot(): UsageSnapshot | undefined {
    return this.latest;
  }

  /** Reads from this gateway from now on (undefined: the gateway is down). */
  setGateway(api: GatewayApi | undefined): void {
    this.api = api;
    if (api) this.scheduleRefresh(0);
  }

  /** A live call: show it in the recent list now, and re-read the totals soon. */
  noteRequest(request: RequestLogEntry): void {
    if (this.latest) this.latest = { ...this.latest, recent: [request, ...this.latest.recent.filter((r) => r.id !== request.id)].slice(0, RECENT) };
    this.scheduleRefresh(REFRESH_DEBOUNCE_MS);
  }

  scheduleRefresh(delayMs = REFRESH_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  async refresh(): Promise<UsageSnapshot | undefined> {
    const api = this.api;
    if (!api) return undefined;
    try {
      this.latest = await readSnapshot(api, Date.now());
      this.changeEmitter.fire(this.latest);
    } catch (error) {
      log.debug(`usage figures not read: ${errorMessage(error)}`);
    }
    return this.latest;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }
}

async function readSnapshot(api: GatewayApi, now: number): Promise<UsageSnapshot> {
  const midnight = startOfLocalDay(now);
  const tzOffsetMinutes = -new Date(midnight).getTimezoneOffset();
  const [today, lastDay, recent] = await Promise.all([
    api.stats({ since: midnight, until: now, bucket: 'day', tzOffsetMinutes }),
    api.stats({ since: now - DAY_MS, until: now, bucket: 'hour', tzOffsetMinutes }),
    api.requests({ limit: RECENT }),
  ]);
  return {
    at: now,
    today: today.totals,
    byModel: today.byModel,
    series: lastDay.byBucket.map((b) => ({ start: b.start, costUsd: b.costUsd, requests: b.requests, p50: b.latencyMs.p50, p90: b.latencyMs.p90 })),
    recent: recent.requests,
    budgets: today.budgets ?? [],
  };
}
