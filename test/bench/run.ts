import { benchCache } from './cache';
import { benchFallback } from './fallback';
import { benchRouting } from './routing';
import { benchSemantic } from './semantic';
import { benchGateway } from './gateway';
import { benchHints } from './lsp';
import { benchTranslation } from './translation';
import { benchLogQueries } from './log-queries';
import { benchJobs } from './jobs';

/** npm run bench: every figure with its in-run baseline, then the whole result as JSON. */
const BURST_LABEL = '32';
const ms = (value: number): string => `${value.toFixed(3)} ms`;
const plus = (value: number): string => `${value >= 0 ? '+' : ''}${ms(value)}`;
const widths = [26, 12, 12, 12, 16, 15];
const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');

async function main(): Promise<void> {
  console.log('Gateway overhead vs. calling the fake upstream directly, and vs. a bare node:http proxy (same run)\n');
  const g = await benchGateway();
  console.log(line(['measure', 'direct', 'bare proxy', 'Tollgate', 'Tollgate added', 'target']));
  const rows: string[][] = [
    ['sequential latency p50', ms(g.sequential.direct.p50), ms(g.sequential.bare.p50), ms(g.sequential.gateway.p50), plus(g.sequential.gateway.p50 - g.sequential.direct.p50), 'added < 0.3 ms'],
    ['sequential latency p99', ms(g.sequential.direct.p99), ms(g.sequential.bare.p99), ms(g.sequential.gateway.p99), plus(g.sequential.gateway.p99 - g.sequential.direct.p99), ''],
    ['streaming TTFB p50', ms(g.streamingTtfb.direct.p50), '', ms(g.streamingTtfb.gateway.p50), plus(g.streamingTtfb.gateway.p50 - g.streamingTtfb.direct.p50), 'added < 1 ms'],
    [
      'throughput, 32 conns (req/s)',
      g.throughputRps.direct.toFixed(0),
      g.throughputRps.bare.toFixed(0),
      g.throughputRps.gateway.toFixed(0),
      `x${(g.throughputRps.gateway / g.throughputRps.direct).toFixed(2)} of direct`,
      'ratio >= 0.5',
    ],
    ['CPU per request', '', ms(g.cpuMsPerRequest.bare), ms(g.cpuMsPerRequest.gateway), '', '< 0.15 ms'],
    ['peak RSS', '', `${g.peakRssMb.bare.toFixed(0)} MB`, `${g.peakRssMb.gateway.toFixed(0)} MB`, '', '< 120 MB'],
  ];
  for (const row of rows) console.log(line(row));
  if (g.errors) console.log(`\n(${g.errors} non-200 answers during the throughput runs)`);

  const f = await benchFallback();
  console.log('\nFallback: the first target answers 503 at once, the second serves\n');
  console.log(line(['measure', 'p50', '', '', '', 'target']));
  console.log(line(['fallback call', ms(f.fallbackP50), '', '', '', '']));
  console.log(line(['failing target alone', ms(f.failingAloneP50), '', '', '', '']));
  console.log(line(['healthy target direct', ms(f.healthyDirectP50), '', '', '', '']));
  console.log(line(['added by the fallback', plus(f.addedP50), '', '', '', '< 2 ms']));

  const c = await benchCache();
  console.log('\nExact cache: hits beside calling the (instant) fake provider directly, same run\n');
  console.log(line(['measure', 'direct', '', 'cache hit', '', 'target']));
  console.log(line(['JSON call p50', ms(c.json.direct.p50), '', ms(c.json.hit.p50), '', 'hit < 0.3 ms']));
  console.log(line(['JSON call p99', ms(c.json.direct.p99), '', ms(c.json.hit.p99), '', '']));
  console.log(line(['stream first event p50', ms(c.streamFirstEvent.direct.p50), '', ms(c.streamFirstEvent.hit.p50), '', 'hit < 0.5 ms']));
  console.log(line(['32 identical at once', '', '', `${c.coalescing.providerCallsPerRound.toFixed(2)} calls`, `${c.coalescing.wallMs.toFixed(0)} ms`, '1 provider call']));
  console.log(line(['32 distinct at once', '', '', '32 calls', `${c.coalescing.distinctWallMs.toFixed(0)} ms`, '']));
  console.log(line(['disk per 10k entries', '', '', `${c.diskMbPer10k.toFixed(1)} MB`, `(${c.answerBytes} B answers)`, '']));

  const s = await benchSemantic();
  console.log('\nSemantic cache: the local encoder, and lookups in one scope (embedding excluded)\n');
  console.log(line(['measure', 'p50', 'p99', 'recall', 'index memory', 'target']));
  console.log(line(['embed one question', ms(s.embedMs.p50), ms(s.embedMs.p99), '', '', '']));
  for (const lookup of s.lookups) {
    console.log(line([`lookup, ${lookup.entries / 1000}k questions`, ms(lookup.p50), ms(lookup.p99), lookup.recall.toFixed(3), `${lookup.indexMb.toFixed(0)} MB`, lookup.entries >= 100_000 ? 'p99 < 5 ms' : '']));
  }

  const r = await benchRouting();
  console.log('\nRouting by complexity: the estimator in process, and a call as "auto" beside the same call naming its model\n');
  console.log(line(['measure', 'p50', 'p99', '', '', 'target']));
  console.log(line(['estimate, typical prompt', ms(r.estimator.short.p50), ms(r.estimator.short.p99), '', '', 'p50 < 0.1 ms']));
  console.log(line(['estimate, 20k-token prompt', ms(r.estimator.long20k.p50), ms(r.estimator.long20k.p99), '', '', '< 1 ms']));
  console.log(line(['call naming its model', ms(r.latency.fixed.p50), ms(r.latency.fixed.p99), '', '', '']));
  console.log(line(['same call as "auto"', ms(r.latency.auto.p50), ms(r.latency.auto.p99), plus(r.latency.auto.p50 - r.latency.fixed.p50), '', '']));

  const t = await benchTranslation();
  console.log('\nTranslation: an Anthropic-shaped call served by an OpenAI-type provider, beside the same call in OpenAI\'s shape\n');
  console.log(line(['measure', 'native p50', 'translated', 'added', 'p99 native/tr.', '']));
  for (const [label, pair] of [['JSON call', t.json], ['stream, to last byte', t.stream]] as const) {
    console.log(line([label, ms(pair.native.p50), ms(pair.translated.p50), plus(pair.translated.p50 - pair.native.p50), `${pair.native.p99.toFixed(2)}/${pair.translated.p99.toFixed(2)}`, '']));
  }

  console.log('\nHint server: a generated 5,000-line TypeScript file (helper-built prompts and env fallbacks included), in process\n');
  const hints = await benchHints();

  const q = await benchLogQueries();
  console.log(`\nThe panel's queries over HTTP with ${q.calls.toLocaleString('en-US')} logged calls (generated in ${(q.generateMs / 1000).toFixed(0)} s)\n`);
  console.log(line(['measure', 'p50', 'slowest', '', '', 'target']));
  for (const query of q.queries) console.log(line([query.name, ms(query.p50), ms(query.max), '', '', '< 100 ms']));

  const j = await benchJobs();
  console.log('\nDeferred jobs (baseline: the same chat call made directly) and embedding micro-batching (baseline: a gateway without it), same run\n');
  console.log(line(['measure', 'baseline p50', 'p99', 'measured p50', 'p99', '']));
  console.log(line(['job submit (202, committed)', ms(j.submit.direct.p50), ms(j.submit.direct.p99), ms(j.submit.submit.p50), ms(j.submit.submit.p99), '']));
  const e = j.embeddings;
  console.log(line([`embeddings, ${BURST_LABEL} at once`, ms(e.latency.plain.p50), ms(e.latency.plain.p99), ms(e.latency.batched.p50), ms(e.latency.batched.p99), `${plus(e.latency.batched.p50 - e.latency.plain.p50)} p50`]));
  console.log(line(['upstream calls', String(e.upstream.plain), '', String(e.upstream.batched), '', `x${(e.upstream.plain / Math.max(1, e.upstream.batched)).toFixed(1)} fewer`]));
  console.log(`\n${JSON.stringify({ gateway: g, fallback: f, cache: c, semantic: s, routing: r, translation: t, hints, logQueries: q, jobs: j })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
