import * as vscode from 'vscode';
import { RANGES, type RangeData, type RangeName } from '../webview/messages';
import type { GatewayApi } from './gateway-api';
import { errorMessage, log } from './log';

/**
 * The usage panel's picked range: the stats endpoint's figures for it (hourly buckets, daily for
 * 30 days) and the advisor's advice over the same window. Re-read when the range changes, when a
 * gateway connects, and after live calls settle (the panel asks).
 */
export class RangeModel implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RangeData>();
  readonly onDidChange = this.changeEmitter.event;
  private gateway: GatewayApi | undefined;
  private range: RangeName = '24h';
  private latest: RangeData | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Reads overlap when calls stream in; only the newest read may land. */
  private generation = 0;

  get current(): RangeName {
    return this.range;
  }

  get api(): GatewayApi | undefined {
    return this.gateway;
  }

  get data(): RangeData | undefined {
    return this.latest;
  }

  setGateway(api: GatewayApi | undefined): void {
    if (api?.baseUrl === this.gateway?.baseUrl && api?.daemon.token === this.gateway?.daemon.token) return;
    this.gateway = api;
    if (api) this.scheduleRefresh(0);
  }

  setRange(range: RangeName): void {
    this.range = range;
    this.scheduleRefresh(0);
  }

  scheduleRefresh(delayMs = 0): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    const api = this.gateway;
    if (!api) return;
    const generation = ++this.generation;
    try {
      const data = await readRange(api, this.range, Date.now());
      if (generation !== this.generation) return;
      this.latest = data;
      this.changeEmitter.fire(data);
    } catch (error) {
      log.debug(`usage panel figures not read: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }
}

async function readRange(api: GatewayApi, range: RangeName, now: number): Promise<RangeData> {
  const since = now - RANGES[range];
  const tzOffsetMinutes = -new Date(now).getTimezoneOffset();
  const bucket = range === '30d' ? 'day' : 'hour';
  const [stats, series, advice] = await Promise.all([
    api.stats({ since, until: now, bucket, tzOffsetMinutes, split: 'model' }),
    api.series({ since, until: now, bucket, tzOffsetMinutes }),
    api.advice(since),
  ]);
  return { range, at: now, stats, series, advice };
}
