import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startHarness, type Harness } from '../helpers/harness';

const MODEL = 'text-embedding-3-small';
/** Same length and shape, so every text has the same token count and the usage shares are equal. */
const text = (i: number): string => `text number ${String(i).padStart(3, '0')}`;

const upstreamEmbeddings = (h: Harness): unknown[] => h.fake.requests.filter((r) => r.path === '/v1/embeddings').map((r) => (r.json as { input: unknown }).input);

describe('embedding micro-batching', () => {
  let h: Harness;
  /** The provider itself, called without the gateway: the reference for each text's vector and usage. */
  let direct: OpenAI;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, batching: { embeddings: { windowMs: 20, maxInputs: 256 } } }) });
    direct = new OpenAI({ baseURL: h.fake.openaiBaseUrl, apiKey: 'sk-direct', maxRetries: 0 });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  it('sends 100 concurrent single-text calls upstream as a few requests; each caller gets exactly its vector and its usage', async () => {
    const client = h.openai();
    // Connections opened first, as a busy client's are: what arrives together is then the calls, not the handshakes.
    await Promise.all(Array.from({ length: 100 }, () => client.embeddings.create({ model: MODEL, input: 'warm-up' })));
    await h.reset();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => client.embeddings.create({ model: MODEL, input: text(i) })));
    const upstream = upstreamEmbeddings(h);
    assert.ok(upstream.length <= 5, `${upstream.length} upstream calls for 100 callers`);
    assert.equal(upstream.flat().length, 100);
    h.fake.reset();
    for (const [i, answer] of answers.entries()) {
      const own = await direct.embeddings.create({ model: MODEL, input: text(i) });
      assert.equal(answer.data.length, 1);
      assert.equal(answer.data[0]!.index, 0);
      assert.deepEqual(answer.data[0]!.embedding, own.data[0]!.embedding, `caller ${i} got its own vector`);
      assert.deepEqual(answer.usage, own.usage, `caller ${i} got its own usage`);
    }
    // One log row per caller, each with its share of the tokens and cost.
    const rows = await h.waitForRequests(100);
    assert.equal(rows.filter((row) => row.status === 200 && row.promptTokens === answers[0]!.usage.prompt_tokens && row.costUsd! > 0).length, 100);
  });

  it('keeps each caller\'s inputs in order when callers send several, and apportions usage by their tokens', async () => {
    const client = h.openai();
    const inputs = [[text(1), text(2), text(3)], ['a much longer text than the others, with many more tokens in it to count'], [text(4), text(5)]];
    const answers = await Promise.all(inputs.map((input) => client.embeddings.create({ model: MODEL, input })));
    assert.equal(upstreamEmbeddings(h).length, 1);
    const totalBilled = (await direct.embeddings.create({ model: MODEL, input: inputs.flat() })).usage.prompt_tokens;
    assert.equal(answers.reduce((sum, a) => sum + a.usage.prompt_tokens, 0), totalBilled, 'the shares add up to what the provider billed');
    for (const [i, answer] of answers.entries()) {
      const own = await direct.embeddings.create({ model: MODEL, input: inputs[i]! });
      assert.deepEqual(answer.data.map((d) => [d.index, d.embedding]), own.data.map((d) => [d.index, d.embedding]));
    }
    assert.ok(answers[1]!.usage.prompt_tokens > answers[0]!.usage.prompt_tokens, 'the longer text carries the larger share');
  });

  it('fails only the caller whose input the provider refuses', async () => {
    const client = h.openai();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => client.embeddings.create({ model: MODEL, input: i === 7 ? '' : text(i) })));
    results.forEach((result, i) => {
      if (i === 7) {
        assert.equal(result.status, 'rejected');
        assert.equal((result as PromiseRejectedResult).reason.status, 400);
      } else {
        assert.equal(result.status, 'fulfilled', `caller ${i}`);
      }
    });
    const rows = await h.waitForRequests(10);
    assert.deepEqual(rows.map((row) => row.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 400]);
  });
});
