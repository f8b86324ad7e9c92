import { cpuMs, peakRssMb, startFakeProcess, startGatewayProcess } from './processes';
import { newAgent, percentile, throughput, timedRequest, type Target } from './load';

/**
 * The gateway's overhead against calling the fake upstream directly, measured in the same run
 * so that a noisy shared machine affects both sides alike. The fake, the gateway and this load
 * generator are three processes; the gateway runs as users run it (dist/tollgate.js, logging
 * on, bodies stored).
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

export interface GatewayBenchResult {
  sequential: { directP50: number; gatewayP50: number; addedP50: number; directP99: number; gatewayP99: number; addedP99: number };
  streamingTtfb: { directP50: number; gatewayP50: number; addedP50: number };
  throughput: { directRps: number; gatewayRps: number; ratio: number; errors: number };
  cpuMsPerRequest: number;
  peakRssMb: number;
}

export async function benchGateway(): Promise<GatewayBenchResult> {
  const fake = await startFakeProcess();
  const gateway = await startGatewayProcess({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] });
  try {
    const state = gateway;
    const direct: Target = { name: 'direct', url: new URL(`${fake.info.openaiBaseUrl}/chat/completions`), headers: { authorization: 'Bearer sk-bench' } };
    const viaGateway: Target = { name: 'gateway', url: new URL(`http://127.0.0.1:${state.port}/v1/chat/completions`), headers: { authorization: `Bearer ${state.token}` } };
    const sequential = await sequentialLatency(direct, viaGateway, chatBody, 'totalMs');
    const ttfb = await sequentialLatency(direct, { ...viaGateway }, streamBody, 'ttfbMs');
    const directRun1 = await throughput(direct, chatBody, CONNECTIONS, SECONDS);
    const cpuBefore = cpuMs(gateway.pid!);
    const gatewayRun1 = await throughput(viaGateway, chatBody, CONNECTIONS, SECONDS);
    const cpuAfter = cpuMs(gateway.pid!);
    const directRun2 = await throughput(direct, chatBody, CONNECTIONS, SECONDS);
    const gatewayRun2 = await throughput(viaGateway, chatBody, CONNECTIONS, SECONDS);
    const directRps = (directRun1.rps + directRun2.rps) / 2;
    const gatewayRps = (gatewayRun1.rps + gatewayRun2.rps) / 2;
    return {
      sequential: {
        directP50: sequential.direct.p50,
        gatewayP50: sequential.gateway.p50,
        addedP50: sequential.gateway.p50 - sequential.direct.p50,
        directP99: sequential.direct.p99,
        gatewayP99: sequential.gateway.p99,
        addedP99: sequential.gateway.p99 - sequential.direct.p99,
      },
      streamingTtfb: { directP50: ttfb.direct.p50, gatewayP50: ttfb.gateway.p50, addedP50: ttfb.gateway.p50 - ttfb.direct.p50 },
      throughput: { directRps, gatewayRps, ratio: gatewayRps / directRps, errors: gatewayRun1.errors + gatewayRun2.errors + directRun1.errors + directRun2.errors },
      cpuMsPerRequest: (cpuAfter - cpuBefore) / gatewayRun1.requests,
      peakRssMb: peakRssMb(gateway.pid!),
    };
  } finally {
    await gateway.stop();
    await fake.stop();
  }
}

/** Alternates direct and gateway calls one by one, so drift on the machine hits both equally. */
async function sequentialLatency(direct: Target, viaGateway: Target, body: Buffer, field: 'totalMs' | 'ttfbMs') {
  const agents = { direct: newAgent(1), gateway: newAgent(1) };
  const samples = { direct: [] as number[], gateway: [] as number[] };
  const warmup = Math.min(500, SEQUENTIAL / 4);
  for (let i = 0; i < SEQUENTIAL + warmup; i++) {
    const d = await timedRequest(agents.direct, direct, body);
    const g = await timedRequest(agents.gateway, viaGateway, body);
    if (d.status !== 200 || g.status !== 200) throw new Error(`bench request failed: direct ${d.status}, gateway ${g.status}`);
    if (i >= warmup) {
      samples.direct.push(d[field]);
      samples.gateway.push(g[field]);
    }
  }
  agents.direct.destroy();
  agents.gateway.destroy();
  const summary = (values: number[]) => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
  return { direct: summary(samples.direct), gateway: summary(samples.gateway) };
}
