import { estimateComplexity } from '../../daemon/gateway/routing/complexity';
import { newAgent, percentile, timedRequest, type Target } from './load';
import { startFakeProcess, startGatewayProcess } from './processes';

const ROUNDS = Number(process.env['BENCH_ROUTING_ROUNDS'] ?? 2000);

export interface RoutingBenchResult {
  /** ms per estimate, in process (p50, p99). */
  estimator: { short: Percentiles; long20k: Percentiles };
  /** The same prompt as "gpt-4o-mini" and as "auto" (routed to gpt-4o-mini), interleaved, through the gateway. */
  latency: { fixed: Percentiles; auto: Percentiles };
}

interface Percentiles {
  p50: number;
  p99: number;
}

const SHORT = 'Explain the difference between TCP and UDP with examples of when to use each.';
/** About 20,000 tokens (80,000 characters) of a report, with a question. */
const LONG = `Read this report and list the three biggest risks:\n\n${'Quarterly revenue grew 12 percent year over year, driven by enterprise subscriptions in Europe, while churn rose after the price change. '.repeat(600)}`;

/**
 * What routing by complexity costs: the estimator alone on a typical and a 20k-token prompt, and
 * the end-to-end latency of a call sent as "auto" against the same call naming its model, in the
 * same run (both reach the same target, so the difference is the routing).
 */
export async function benchRouting(): Promise<RoutingBenchResult> {
  const estimate = (content: string): Percentiles => {
    const body = { model: 'auto', messages: [{ role: 'user', content }] };
    for (let i = 0; i < 200; i++) estimateComplexity('chat', body);
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      estimateComplexity('chat', body);
      samples.push(performance.now() - started);
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
  };
  const estimator = { short: estimate(SHORT), long20k: estimate(LONG) };

  const fake = await startFakeProcess();
  const gateway = await startGatewayProcess({
    providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }],
    routing: { tiers: { simple: 'openai/gpt-4o-mini', medium: 'openai/gpt-4o-mini', complex: 'openai/gpt-4o-mini', reasoning: 'openai/gpt-4o-mini' } },
  });
  try {
    const target: Target = { name: 'gateway', url: new URL(`http://127.0.0.1:${gateway.port}/v1/chat/completions`), headers: { authorization: `Bearer ${gateway.token}` } };
    const body = (model: string): Buffer => Buffer.from(JSON.stringify({ model, messages: [{ role: 'user', content: SHORT }] }));
    const bodies = { fixed: body('gpt-4o-mini'), auto: body('auto') };
    const agent = newAgent(1);
    const samples = { fixed: [] as number[], auto: [] as number[] };
    for (let i = 0; i < ROUNDS + 300; i++) {
      for (const name of ['fixed', 'auto'] as const) {
        const timing = await timedRequest(agent, target, bodies[name]);
        if (timing.status !== 200) throw new Error(`routing bench call (${name}) answered ${timing.status}`);
        if (i >= 300) samples[name].push(timing.totalMs);
      }
    }
    agent.destroy();
    const summary = (values: number[]): Percentiles => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
    return { estimator, latency: { fixed: summary(samples.fixed), auto: summary(samples.auto) } };
  } finally {
    await gateway.stop();
    await fake.stop();
  }
}
