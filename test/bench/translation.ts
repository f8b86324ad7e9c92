import { newAgent, percentile, timedRequest, type Target } from './load';
import { startFakeProcess, startGatewayProcess } from './processes';

const ROUNDS = Number(process.env['BENCH_TRANSLATION_ROUNDS'] ?? 2000);

interface Percentiles {
  p50: number;
  p99: number;
}

export interface TranslationBenchResult {
  /** The same question to the same OpenAI-type provider: as an OpenAI chat call, and as an Anthropic message (translated). */
  json: { native: Percentiles; translated: Percentiles };
  /** The same, streamed: time until the last byte. */
  stream: { native: Percentiles; translated: Percentiles };
}

const QUESTION = 'Explain the difference between TCP and UDP with examples of when to use each.';

/**
 * What translation costs: a call in the provider's own API beside the same call made in the
 * other API and translated both ways, interleaved in one run through one gateway, JSON and
 * streamed (a stream's every event is rewritten).
 */
export async function benchTranslation(): Promise<TranslationBenchResult> {
  const fake = await startFakeProcess();
  const gateway = await startGatewayProcess({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }] });
  try {
    const headers = { authorization: `Bearer ${gateway.token}` };
    const native: Target = { name: 'native', url: new URL(`http://127.0.0.1:${gateway.port}/v1/chat/completions`), headers };
    const translated: Target = { name: 'translated', url: new URL(`http://127.0.0.1:${gateway.port}/v1/messages`), headers };
    const body = (stream: boolean, maxTokens: boolean): Buffer =>
      Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', ...(maxTokens ? { max_tokens: 200 } : {}), ...(stream ? { stream: true } : {}), messages: [{ role: 'user', content: QUESTION }] }));
    const measure = async (stream: boolean): Promise<{ native: Percentiles; translated: Percentiles }> => {
      const agent = newAgent(1);
      const samples = { native: [] as number[], translated: [] as number[] };
      const bodies = { native: body(stream, false), translated: body(stream, true) };
      const targets = { native, translated };
      for (let i = 0; i < ROUNDS + 300; i++) {
        for (const name of ['native', 'translated'] as const) {
          const timing = await timedRequest(agent, targets[name], bodies[name]);
          if (timing.status !== 200) throw new Error(`translation bench call (${name}) answered ${timing.status}`);
          if (i >= 300) samples[name].push(timing.totalMs);
        }
      }
      agent.destroy();
      const summary = (values: number[]): Percentiles => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
      return { native: summary(samples.native), translated: summary(samples.translated) };
    };
    return { json: await measure(false), stream: await measure(true) };
  } finally {
    await gateway.stop();
    await fake.stop();
  }
}
