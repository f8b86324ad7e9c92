import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import { countTokens, encodeChat } from 'gpt-tokenizer';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall } from '../helpers/raw-http';

describe('streaming and broken connections', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Tell me a story' }] };

  it('forwards each chunk as it arrives instead of buffering the stream', async () => {
    h.fake.behave(() => ({ kind: 'ok', chunkDelayMs: 120, text: 'one two three four five six' }));
    const started = performance.now();
    const arrivals: number[] = [];
    const stream = await h.openai().chat.completions.create({ ...ask, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(performance.now() - started);
    assert.ok(arrivals.length >= 3, `${arrivals.length} content chunks`);
    const spread = arrivals.at(-1)! - arrivals[0]!;
    assert.ok(spread > 120 * (arrivals.length - 2), `chunks arrived spread over ${spread.toFixed(0)} ms, not all at once`);
    await h.waitForRequests(1);
  });

  it('aborts the upstream request when the client disconnects, and logs what was spent', async () => {
    h.fake.behave(() => ({ kind: 'ok', chunkDelayMs: 150, text: 'alpha beta gamma delta epsilon zeta eta theta' }));
    const controller = new AbortController();
    const stream = await h.openai().chat.completions.create({ ...ask, stream: true }, { signal: controller.signal });
    let received = '';
    // The SDK ends the iteration quietly on abort (or throws an AbortError, depending on timing).
    try {
      for await (const chunk of stream) {
        received += chunk.choices[0]?.delta.content ?? '';
        if (received.length > 0) controller.abort();
      }
    } catch (error) {
      assert.ok(error instanceof OpenAI.APIUserAbortError, String(error));
    }
    assert.ok(received.length > 0 && received.length < 20);
    assert.equal(await h.fake.requests[0]!.settled, 'aborted', 'the provider saw the gateway hang up');
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.status, 499);
    assert.equal(row!.errorClass, 'client_disconnected');
    assert.equal(row!.costEstimated, true, 'no usage chunk came, so the tokens were counted locally');
    assert.ok(row!.completionTokens! >= 1 && row!.completionTokens! < countTokens('alpha beta gamma delta epsilon zeta eta theta'));
    assert.ok(row!.costUsd! > 0);
  });

  it('turns a provider reset mid-stream into an error the SDK raises, logged as failed', async () => {
    h.fake.behave(() => ({ kind: 'reset-mid-stream', afterEvents: 2 }));
    const stream = await h.openai().chat.completions.create({ ...ask, stream: true });
    await assert.rejects(
      async () => {
        for await (const _ of stream);
      },
      (error: unknown) => error instanceof OpenAI.APIError && /closed the stream before it was complete/.test(error.message),
    );
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.status, 502, 'never logged as a clean 200');
    assert.equal(row!.errorClass, 'provider_stream_interrupted');
    assert.equal(row!.costEstimated, true);
  });

  it('gives Anthropic streams an error event the SDK raises', async () => {
    h.fake.behave(() => ({ kind: 'reset-mid-stream', afterEvents: 3 }));
    const stream = h.anthropic().messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(stream.finalMessage(), /closed the stream before it was complete/);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.errorClass, 'provider_stream_interrupted');
  });

  it('answers a reset before the response with 502 in the caller\'s shape', async () => {
    h.fake.behave(() => ({ kind: 'reset-before-headers' }));
    await assert.rejects(h.openai().chat.completions.create(ask), (error: unknown) => error instanceof OpenAI.APIError && error.status === 502);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.errorClass, 'provider_reset');
  });

  it('counts tokens locally when the provider sends no usage, and says so', async () => {
    h.fake.behave(() => ({ kind: 'ok', omitUsage: true, text: 'An answer without a usage block.' }));
    const { response } = await h.openai().chat.completions.create(ask).withResponse();
    const stream = await h.openai().chat.completions.create({ ...ask, stream: true });
    for await (const _ of stream);
    const rows = await h.waitForRequests(2);
    const expectedPrompt = encodeChat([{ role: 'user', content: 'Tell me a story' }], 'gpt-4o').length;
    const expectedCompletion = countTokens('An answer without a usage block.');
    for (const row of rows) {
      assert.equal(row.costEstimated, true);
      assert.equal(row.promptTokens, expectedPrompt);
      assert.equal(row.completionTokens, expectedCompletion);
    }
    const expectedCost = (expectedPrompt * 0.15 + expectedCompletion * 0.6) / 1e6;
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(expectedCost.toFixed(8)));
  });

  it('passes a malformed 200 body through untouched and flags it in the log', async () => {
    h.fake.behave(() => ({ kind: 'malformed' }));
    const res = await rawCall(h.gateway.url, { path: '/v1/chat/completions', body: JSON.stringify(ask), headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.body));
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.errorClass, 'provider_malformed_response');
  });
});
