import { newAgent, percentile, timedRequest, type Target } from './load';
import { startFakeProcess, startGatewayProcess } from './processes';
const ROUNDS = Number(process.env['BENCH_FALLBACK_ROUNDS'] ?? 1000);

export interface FallbackBenchResult {
  fallbackP50: number;
  failingAloneP50: number;
  healthyDirectP50: number;
  /** fallback − (failing target alone through the gateway) − (healthy target called directly). */
  addedP50: number;
}

/**
 * What a fallback costs beyond the failing attempt itself. Three measurements, interleaved:
 * the alias whose first target answers 503 at once and whose second serves; the failing target
 * alone through the gateway (gateway overhead + the failing attempt); the healthy target called
 * directly. fallback − failing − healthy is what the fallback machinery adds.
 */
export async function benchFallback(): Promise<FallbackBenchResult> {
  const healthy = await startFakeProcess();
  const failing = await startFakeProcess(['--fail-status', '503']);
  const gateway = await startGatewayProcess({
      providers: [
        { id: 'down', type: 'openai', baseUrl: failing.info.openaiBaseUrl, apiKeys: ['sk-bench'] },
        { id: 'up', type: 'openai', baseUrl: healthy.info.openaiBaseUrl, apiKeys: ['sk-bench'] },
      ],
      models: { resilient: { targets: ['down/gpt-4o-mini', 'up/gpt-4o-mini'] } },
      resilience: { retries: 0 },
  });
  try {
    const state = gateway;
    const viaGateway = (model: string): { target: Target; body: Buffer } => ({
      target: { name: model, url: new URL(`http://127.0.0.1:${state.port}/v1/chat/completions`), headers: { authorization: `Bearer ${state.token}` } },
      body: Buffer.from(JSON.stringify({ model, messages: [{ role: 'user', content: 'Which target answers?' }] })),
    });
    const runs = {
      fallback: viaGateway('resilient'),
      failing: viaGateway('down/gpt-4o-mini'),
      direct: { target: { name: 'direct', url: new URL(`${healthy.info.openaiBaseUrl}/chat/completions`), headers: { authorization: 'Bearer sk-bench' } }, body: viaGateway('gpt-4o-mini').body },
    };
    const agent = newAgent(1);
    const samples = { fallback: [] as number[], failing: [] as number[], direct: [] as number[] };
    for (let i = 0; i < ROUNDS + 200; i++) {
      for (const name of ['fallback', 'failing', 'direct'] as const) {
        const timing = await timedRequest(agent, runs[name].target, runs[name].body);
        if (i >= 200) samples[name].push(timing.totalMs);
      }
    }
    agent.destroy();
    const p50 = (values: number[]) => percentile(values, 0.5);
    return {
      fallbackP50: p50(samples.fallback),
      failingAloneP50: p50(samples.failing),
      healthyDirectP50: p50(samples.direct),
      addedP50: p50(samples.fallback) - p50(samples.failing) - p50(samples.direct),
    };
  } finally {
    await gateway.stop();
    await healthy.stop();
    await failing.stop();
  }
}
