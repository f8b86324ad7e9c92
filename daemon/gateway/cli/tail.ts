import WebSocket from 'ws';
import type { LiveEvent, RequestLogEntry } from '../api/contracts';
import { findRunningDaemon } from './find-daemon';
import { Labels } from '../store/labels';
import { RequestQueries } from '../store/request-queries';
import { withStoppedStore } from './stopped-store';
import { formatMs, formatUsd } from './format';

export function formatRequestLine(entry: RequestLogEntry): string {
  const time = new Date(entry.ts).toLocaleTimeString();
  const model = entry.servedModel ?? entry.requestedModel ?? '-';
  const tokens = entry.promptTokens === null ? '' : `${entry.promptTokens}→${entry.completionTokens ?? 0} tok`;
  const cost = entry.costUsd === null && entry.promptTokens !== null ? 'price unknown' : formatUsd(entry.costUsd);
  const flags = [entry.stream ? 'stream' : '', entry.costEstimated ? 'estimated' : '', entry.attempts > 1 ? `${entry.attempts} attempts` : '']
    .filter(Boolean)
    .join(',');
  const error = entry.errorClass ? `  ${entry.errorClass}: ${entry.errorMessage ?? ''}` : '';
  return `${time}  ${entry.status}  ${entry.endpoint.padEnd(12)} ${(entry.provider ?? '-').padEnd(10)} ${model.padEnd(28)} ${formatMs(entry.latencyMs).padStart(8)}  ${tokens.padEnd(16)} ${cost}${flags ? ` [${flags}]` : ''}${error}`;
}

/**
 * Prints the last few requests, then (unless `follow` is false) every new one as the gateway logs
 * it, until interrupted. With the daemon stopped, the last requests come from the log on disk.
 */
export async function tail(dataDir: string, follow = true): Promise<number> {
  const running = await findRunningDaemon(dataDir);
  if (!running) {
    const recent = withStoppedStore(dataDir, (db) => new RequestQueries(db, new Labels(db)).list({ limit: 10 }));
    if (!recent) {
      console.error(`tollgate: no request log in ${dataDir} yet; start the gateway with: tollgate start`);
      return 1;
    }
    for (const entry of recent.requests.reverse()) console.log(formatRequestLine(entry));
    if (follow) console.error('tollgate: not running, so there is nothing to follow; start it with: tollgate start');
    return follow ? 1 : 0;
  }
  const recent = await running.client.requests({ limit: 10 });
  for (const entry of recent.requests.reverse()) console.log(formatRequestLine(entry));
  if (!follow) return 0;
  const socket = new WebSocket(`ws://127.0.0.1:${running.state.port}/tollgate/v1/live`, {
    headers: { authorization: `Bearer ${running.state.token}` },
  });
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as LiveEvent;
    if (event.type === 'request') console.log(formatRequestLine(event.request));
  });
  return new Promise((resolve) => {
    socket.once('close', () => resolve(0));
    socket.once('error', (error) => {
      console.error(`tollgate: live feed failed: ${error.message}`);
      resolve(1);
    });
    process.once('SIGINT', () => socket.close());
  });
}
