import { startFakeUpstream } from '../fixtures/fake-upstream';
import { newAgent, percentile, timedRequest, type Target } from './load';
import { startGatewayProcess } from './processes';

const SUBMITS = Number(process.env['BENCH_JOB_SUBMITS'] ?? 1000);
const EMBED_ROUNDS = Number(process.env['BENCH_EMBED_ROUNDS'] ?? 100);
/** Callers per round of embedding calls, all at once (a RAG indexer's burst). */
const BURST = 32;

interface Percentiles {
  p50: number;
  p99: number;
}

export interface JobsBenchResult {
  /** POST /tollgate/v1/jobs with one chat job (committed before the 202), beside the same chat call made directly. */
  submit: { direct: Percentiles; submit: Percentiles };
  /** Bursts of single-text embedding calls through one gateway without batching and one with batching.embeddings. */
  embeddings: { callers: number; upstream: { plain: number; batched: number }; latency: { plain: Percentiles; batched: Percentiles } };
}

const summary = (values: number[]): Percentiles => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });

/**
 * What deferring costs the caller (a submit is a SQLite commit, not a provider call), and what
 * embedding micro-batching saves upstream and adds in latency. The fake provider runs in this
 * process so its own request count is the measure of upstream calls.
 */
export async function benchJobs(): Promise<JobsBenchResult> {
  const fake = await startFakeUpstream({ record: true });
  const provider = { id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['sk-bench'] };
  const plain = await startGatewayProcess({ providers: [provider] });
  const batched = await startGatewayProcess({ providers: [provider], batching: { embeddings: { windowMs: 5, maxInputs: 256 } } });
  try {
    return { submit: await measureSubmit(plain.port, plain.token), embeddings: await measureEmbeddings(fake, [plain, batched]) };
  } finally {
    await plain.stop();
    await batched.stop();
    await fake.close();
  }
}

async function measureSubmit(port: number, token: string): Promise<JobsBenchResult['submit']> {
  const headers = { authorization: `Bearer ${token}` };
  const direct: Target = { name: 'direct', url: new URL(`http://127.0.0.1:${port}/v1/chat/completions`), headers };
  const submit: Target = { name: 'submit', url: new URL(`http://127.0.0.1:${port}/tollgate/v1/jobs`), headers };
  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one line.' }] };
  const agent = newAgent(1);
  const samples = { direct: [] as number[], submit: [] as number[] };
  for (let i = 0; i < SUBMITS + 100; i++) {
    const a = await timedRequest(agent, direct, Buffer.from(JSON.stringify(chat)));
    const b = await timedRequest(agent, submit, Buffer.from(JSON.stringify({ endpoint: '/v1/chat/completions', body: chat, tag: 'bench' })));
    if (a.status !== 200 || b.status !== 202) throw new Error(`job bench: direct ${a.status}, submit ${b.status}`);
    if (i >= 100) {
      samples.direct.push(a.totalMs);
      samples.submit.push(b.totalMs);
    }
  }
  agent.destroy();
  return { direct: summary(samples.direct), submit: summary(samples.submit) };
}

async function measureEmbeddings(fake: Awaited<ReturnType<typeof startFakeUpstream>>, gateways: { port: number; token: string }[]): Promise<JobsBenchResult['embeddings']> {
  const upstream = { plain: 0, batched: 0 };
  const latency = { plain: [] as number[], batched: [] as number[] };
  const agents = gateways.map(() => newAgent(BURST));
  for (let round = 0; round < EMBED_ROUNDS + 10; round++) {
    // Interleaved rounds, so both gateways see the same machine load.
    for (const [index, name] of (['plain', 'batched'] as const).entries()) {
      const gateway = gateways[index]!;
      const target: Target = { name, url: new URL(`http://127.0.0.1:${gateway.port}/v1/embeddings`), headers: { authorization: `Bearer ${gateway.token}` } };
      fake.reset();
      const timings = await Promise.all(
        Array.from({ length: BURST }, (_, i) => timedRequest(agents[index]!, target, Buffer.from(JSON.stringify({ model: 'text-embedding-3-small', input: `document ${round}-${i}` })))),
      );
      if (timings.some((t) => t.status !== 200)) throw new Error(`embedding bench (${name}): a call failed`);
      if (round < 10) continue;
      upstream[name] += fake.requests.filter((r) => r.path === '/v1/embeddings').length;
      latency[name].push(...timings.map((t) => t.totalMs));
    }
  }
  for (const agent of agents) agent.destroy();
  return { callers: EMBED_ROUNDS * BURST, upstream, latency: { plain: summary(latency.plain), batched: summary(latency.batched) } };
}
