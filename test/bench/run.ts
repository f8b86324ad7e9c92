import { benchFallback } from './fallback';
import { benchGateway } from './gateway';

/** npm run bench: prints every figure with its in-run baseline, then the whole result as JSON. */
async function main(): Promise<void> {
  const ms = (value: number): string => `${value.toFixed(3)} ms`;
  console.log('Gateway overhead vs. calling the fake upstream directly (same run, same machine)\n');
  const g = await benchGateway();
  const rows: [string, string, string, string, string][] = [
    ['sequential latency p50', ms(g.sequential.directP50), ms(g.sequential.gatewayP50), `+${ms(g.sequential.addedP50)}`, 'added < 0.3 ms'],
    ['sequential latency p99', ms(g.sequential.directP99), ms(g.sequential.gatewayP99), `+${ms(g.sequential.addedP99)}`, ''],
    ['streaming TTFB p50', ms(g.streamingTtfb.directP50), ms(g.streamingTtfb.gatewayP50), `+${ms(g.streamingTtfb.addedP50)}`, 'added < 1 ms'],
    ['throughput, 32 conns', `${g.throughput.directRps.toFixed(0)} req/s`, `${g.throughput.gatewayRps.toFixed(0)} req/s`, `x${g.throughput.ratio.toFixed(2)}`, 'ratio >= 0.5'],
    ['gateway CPU per request', '', `${g.cpuMsPerRequest.toFixed(3)} ms`, '', '< 0.15 ms'],
    ['gateway peak RSS', '', `${g.peakRssMb.toFixed(0)} MB`, '', '< 120 MB'],
  ];
  const widths = [26, 14, 14, 14, 16];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(['measure', 'direct', 'via gateway', 'added/ratio', 'target']));
  for (const row of rows) console.log(line(row));
  const f = await benchFallback();
  console.log('\nFallback (first target answers 503 at once, second serves)\n');
  console.log(line(['measure', 'p50', '', '', 'target']));
  console.log(line(['fallback call', ms(f.fallbackP50), '', '', '']));
  console.log(line(['failing target alone', ms(f.failingAloneP50), '', '', '']));
  console.log(line(['healthy target direct', ms(f.healthyDirectP50), '', '', '']));
  console.log(line(['added by fallback', `+${ms(f.addedP50)}`, '', '', '< 2 ms']));
  console.log(`\n${JSON.stringify({ gateway: g, fallback: f })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
