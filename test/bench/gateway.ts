import { join } from 'node:path';
import { newAgent, percentile, throughput, timedRequest, type Target } from './load';
import { cpuMs, peakRssMb, startFakeProcess, startGatewayProcess, startJsonLineProcess } from './processes';

/**
 * The gateway's overhead against calling the fake upstream directly, measured in the same run
 * so that a noisy shared machine affects every side alike. Beside it, a bare node:http proxy
 * (bare-proxy.mjs) shows the floor any Node gateway stands on. The fake, the gateway, the bare
 * proxy and this load generator are separate processes; the gateway runs as users run it
 * (dist/tollgate.js, logging on, bodies stored).
 */
const SEQUENTIAL = Number(process.env['BENCH_SEQUENTIAL'] ?? 3000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = 32;

const chatBody = Buffer.from(
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a concise assistant for a developer tool.' },
      { role: 'user', content: 'Summarise the difference between latency and throughput in one sentence.' },
    ],
    temperature: 0.2,
  }),
);
const streamBody = Buffer.from(JSON.stringify({ ...JSON.parse(chatBody.toString()), stream: true }));

interface Percentiles {
  p50: number;
  p99: number;
}

export interface GatewayBenchResult {
  sequential: { direct: Percentiles; bare: Percentiles; gateway: Percentiles };
  streamingTtfb: { direct: Percentiles; gateway: Percentiles };
  throughputRps: { direct: number; bare: number; gateway: number };
  cpuMsPerRequest: { bare: number; gateway: number };
  peakRssMb: { bare: number; gateway: number };
  errors: number;
}

export async function benchGateway(): Promise<GatewayBenchResult> {
  const fake = await startFakeProcess();
  const gateway = await startGatewayProcess({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] });
  const bare = await startJsonLineProcess<{ port: number }>(process.execPath, [join(__dirname, 'bare-proxy.mjs'), fake.info.url]);
  try {
    const targets = {
      direct: { name: 'direct', url: new URL(`${fake.info.openaiBaseUrl}/chat/completions`), headers: { authorization: 'Bearer sk-bench' } },
      bare: { name: 'bare', url: new URL(`http://127.0.0.1:${bare.info.port}/v1/chat/completions`), headers: { authorization: 'Bearer sk-bench' } },
      gateway: { name: 'gateway', url: new URL(`http://127.0.0.1:${gateway.port}/v1/chat/completions`), headers: { authorization: `Bearer ${gateway.token}` } },
    } satisfies Record<string, Target>;
    const sequential = await interleaved(targets, chatBody, 'totalMs');
    const ttfb = await interleaved({ direct: targets.direct, gateway: targets.gateway }, streamBody, 'ttfbMs');
    const rps = { direct: [] as number[], bare: [] as number[], gateway: [] as number[] };
    const cpu = { bare: [] as number[], gateway: [] as number[] };
    let errors = 0;
    const pids = { bare: bare.child.pid!, gateway: gateway.pid };
    for (let round = 0; round < 2; round++) {
      for (const name of ['direct', 'bare', 'gateway'] as const) {
        const before = name === 'direct' ? 0 : cpuMs(pids[name]);
        const run = await throughput(targets[name], chatBody, CONNECTIONS, SECONDS);
        if (name !== 'direct') cpu[name].push((cpuMs(pids[name]) - before) / run.requests);
        rps[name].push(run.rps);
        errors += run.errors;
      }
    }
    const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
    return {
      sequential: { direct: sequential.direct!, bare: sequential.bare!, gateway: sequential.gateway! },
      streamingTtfb: { direct: ttfb.direct!, gateway: ttfb.gateway! },
      throughputRps: { direct: mean(rps.direct), bare: mean(rps.bare), gateway: mean(rps.gateway) },
      cpuMsPerRequest: { bare: mean(cpu.bare), gateway: mean(cpu.gateway) },
      peakRssMb: { bare: peakRssMb(pids.bare), gateway: peakRssMb(pids.gateway) },
      errors,
    };
  } finally {
    await bare.stop();
    await gateway.stop();
    await fake.stop();
  }
}

/** One call to each target in turn, over and over, so that drift on the machine hits all alike. */
async function interleaved<K extends string>(targets: Record<K, Target>, body: Buffer, field: 'totalMs' | 'ttfbMs'): Promise<Record<K, Percentiles>> {
  const names = Object.keys(targets) as K[];
  const agents = new Map(names.map((name) => [name, newAgent(1)]));
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  const warmup = Math.min(500, SEQUENTIAL / 4);
  for (let i = 0; i < SEQUENTIAL + warmup; i++) {
    for (const name of names) {
      const timing = await timedRequest(agents.get(name)!, targets[name], body);
      if (timing.status !== 200) throw new Error(`bench request to ${name} failed with ${timing.status}`);
      if (i >= warmup) samples.get(name)!.push(timing[field]);
    }
  }
  for (const agent of agents.values()) agent.destroy();
  return Object.fromEntries(names.map((name) => [name, { p50: percentile(samples.get(name)!, 0.5), p99: percentile(samples.get(name)!, 0.99) }])) as Record<K, Percentiles>;
}
