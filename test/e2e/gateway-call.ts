import { AdminClient } from '../../daemon/gateway/api/client';
import type { StatsResponse } from '../../daemon/gateway/api/contracts';
import { readState, type DaemonState } from '../../daemon/gateway/state-file';
import { formatMoney } from '../../webview/format';
import type { Sandbox } from './code-server';

/** The sandbox's running gateway, as its state file describes it. */
export function gatewayState(sandbox: Sandbox): DaemonState {
  const state = readState(sandbox.tollgateHome);
  if (!state) throw new Error('no daemon.json: the gateway is not running');
  return state;
}

/**
 * A call that carries its own provider key: passed through to the fake upstream and logged with
 * its cost, as an application's call would be. Returns the HTTP status.
 */
export async function callThroughGateway(state: DaemonState, content: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${state.port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-e2e-caller-own-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
  await response.body?.cancel();
  return response.status;
}

export async function todaysSpendUsd(admin: AdminClient): Promise<number> {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const stats = await admin.get<StatsResponse>(`/tollgate/v1/stats?since=${midnight.getTime()}&bucket=day&tzOffsetMinutes=${-midnight.getTimezoneOffset()}`);
  return stats.totals.costUsd;
}

/** Today's spend as the panel and the status bar show it. */
export async function todaysSpend(admin: AdminClient): Promise<string> {
  return formatMoney(await todaysSpendUsd(admin), { code: 'USD', perUsd: 1 });
}
