import type { WhatIfResponse } from '../api/contracts';
import { findRunningDaemon } from './find-daemon';
import { formatCount, formatUsd, table } from './format';

/** `tollgate routing what-if [--since 7d]`: the routing what-if report as a table. */
export async function printWhatIf(dataDir: string, since: string): Promise<number> {
  if (!/^\d+[smhd]?$/.test(since)) {
    console.error(`tollgate: --since takes a span like 24h or 7d (got "${since}")`);
    return 1;
  }
  const running = await findRunningDaemon(dataDir);
  if (!running) {
    console.error('tollgate: not running; start it with: tollgate start');
    return 1;
  }
  const report = await running.client.get<WhatIfResponse>(`/tollgate/v1/routing/what-if?since=${encodeURIComponent(since)}`);
  const row = (name: string, t: WhatIfResponse['totals']): string[] => [
    name,
    formatCount(t.calls),
    formatCount(t.moved),
    `${t.byTier.simple}/${t.byTier.medium}/${t.byTier.complex}/${t.byTier.reasoning}`,
    formatUsd(t.costUsd),
    formatUsd(t.routedCostUsd),
    `${t.differenceUsd <= 0 ? '-' : '+'}${formatUsd(Math.abs(t.differenceUsd))}`,
  ];
  console.log(`Calls since ${new Date(report.since).toLocaleString()}, replayed through the current routing config (nothing was sent):`);
  console.log(table(['model then', 'calls', 'would move', 'tiers s/m/c/r', 'cost then', 'cost routed', 'difference'], [...report.byModel.map((m) => row(m.model, m)), row('total', report.totals)]));
  if (report.totals.unpriced > 0) console.log(`${report.totals.unpriced} calls are left out of the costs: no known price then or under routing.`);
  if (report.withoutBody > 0) console.log(`${report.withoutBody} calls had no stored body and were routed by their token count alone.`);
  return 0;
}
