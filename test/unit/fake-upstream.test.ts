// The fake upstream is only worth something if the official SDKs accept it unchanged, so every
// test here drives it with the real openai and @anthropic-ai/sdk clients (no gateway involved).
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../fixtures/fake-upstream';

const DEFAULT_TEXT = 'Hello from the fake upstream.';

describe('fake upstream', () => {
  let fake: FakeUpstream;
  let openai: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    fake = await startFakeUpstream();
    openai = new OpenAI({ apiKey: 'sk-test-openai', baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.anthropicBaseUrl, maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  const firstRequest = (): RecordedRequest => {
    const request = fake.requests[0];
    assert.ok(request, 'the fake recorded no request');
    return request;
  };

  describe('OpenAI chat completions', () => {
    const messages = [
      { role: 'system' as const, content: 'You are terse.' },
      { role: 'user' as const, content: 'Say hello.' },
    ];

    it('answers JSON with deterministic usage counted from the messages', async () => {
      const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.model, 'gpt-4o-mini');
      assert.equal(completion.choices[0]?.message.content, DEFAULT_TEXT);
      assert.equal(completion.choices[0]?.finish_reason, 'stop');
      const promptTokens = countTokens('You are terse.\nSay hello.');
      assert.deepEqual(completion.usage, {
        prompt_tokens: promptTokens,
        completion_tokens: countTokens(DEFAULT_TEXT),
        total_tokens: promptTokens + countTokens(DEFAULT_TEXT),
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      });
      assert.match(completion._request_id ?? '', /^req_/);
      const request = firstRequest();
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.apiKey, 'sk-test-openai');
      assert.deepEqual((request.json as { messages: unknown }).messages, messages);
      assert.equal(await request.settled, 'completed');
    });

    it('streams without any usage field unless include_usage is asked for', async () => {
      const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.ok(chunks.every((chunk) => !('usage' in chunk)));
      assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), DEFAULT_TEXT);
      assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
    });

    it('streams usage: null on every chunk and a final usage-only chunk when include_usage is true', async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const last = chunks.at(-1);
      assert.deepEqual(last?.choices, []);
      assert.equal(last?.usage?.completion_tokens, countTokens(DEFAULT_TEXT));
      assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null));
    });

    it('reports forced usage, reasoning inside completion tokens, and a served model', async () => {
      fake.behave(() => ({ kind: 'ok', text: 'Hi', servedModel: 'gpt-4o-mini-2024-07-18', usage: { cachedTokens: 64, reasoningTokens: 10 } }));
      const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
      assert.equal(completion.model, 'gpt-4o-mini-2024-07-18');
      assert.equal(completion.usage?.prompt_tokens, countTokens('You are terse.\nSay hello.') + 64);
      assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 64);
      assert.equal(completion.usage?.completion_tokens, countTokens('Hi') + 10);
      assert.equal(completion.usage?.completion_tokens_details?.reasoning_tokens, 10);
    });

    it('omits usage entirely when the scenario says so', async () => {
      fake.behave(() => ({ kind: 'ok', omitUsage: true }));
      const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
      assert.equal(completion.usage, undefined);
    });
  });

  describe('OpenAI embeddings, responses and models', () => {
    it('answers base64 embeddings that the SDK decodes to deterministic unit vectors', async () => {
      const first = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
      const again = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha' });
      assert.equal((firstRequest().json as { encoding_format: string }).encoding_format, 'base64');
      const vector = first.data[0]?.embedding ?? [];
      assert.equal(vector.length, 8);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-5);
      assert.deepEqual(again.data[0]?.embedding, vector);
      assert.notDeepEqual(first.data[1]?.embedding, vector);
      assert.deepEqual(first.usage, { prompt_tokens: 2, total_tokens: 2 });
    });

    it('answers float embeddings with the requested dimensions', async () => {
      const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha', encoding_format: 'float', dimensions: 4 });
      assert.equal(result.data[0]?.embedding.length, 4);
      assert.ok(result.data[0]?.embedding.every((value) => typeof value === 'number'));
    });

    it('refuses dimensions no model returns, as OpenAI does, instead of failing to render them', async () => {
      for (const dimensions of [1e308, 0, 1.5]) {
        const error = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha', dimensions }).catch((caught: unknown) => caught);
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal(error.param, 'dimensions');
      }
    });

    it('answers a request it cannot render with a loud 500 instead of throwing', async () => {
      fake.behave(() => ({ kind: 'ok', usage: { promptTokens: 1 }, extraHeaders: { 'x-bad': '\u65e5' } }));
      const error = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
      assert.ok(error instanceof OpenAI.InternalServerError);
      assert.match(error.message, /fake upstream: rendering the answer threw/);
    });

    it('answers a Responses API call with output text and usage', async () => {
      const response = await openai.responses.create({ model: 'gpt-4.1-mini', instructions: 'Be brief.', input: 'Say hello.' });
      assert.equal(response.output_text, DEFAULT_TEXT);
      assert.equal(response.status, 'completed');
      assert.equal(response.usage?.input_tokens, countTokens('Be brief.\nSay hello.'));
      assert.equal(response.usage?.output_tokens, countTokens(DEFAULT_TEXT));
      assert.equal(response.usage?.input_tokens_details.cached_tokens, 0);
    });

    it('streams the Responses API events the SDK accumulates into a final response', async () => {
      fake.behave(() => ({ kind: 'ok', usage: { cachedTokens: 5, reasoningTokens: 3 } }));
      const stream = openai.responses.stream({ model: 'gpt-4.1-mini', input: [{ role: 'user', content: 'Say hello.' }] });
      const types: string[] = [];
      const sequence: number[] = [];
      stream.on('event', (event) => {
        types.push(event.type);
        sequence.push(event.sequence_number);
      });
      const final = await stream.finalResponse();
      assert.equal(final.output_text, DEFAULT_TEXT);
      assert.deepEqual(final.usage?.input_tokens_details, { cached_tokens: 5, cache_write_tokens: 0 });
      assert.equal(final.usage?.output_tokens_details.reasoning_tokens, 3);
      assert.equal(types[0], 'response.created');
      assert.equal(types.at(-1), 'response.completed');
      assert.ok(types.includes('response.output_text.delta'));
      assert.deepEqual(sequence, sequence.map((_, index) => index));
    });

    it('lists models in OpenAI list shape', async () => {
      const ids = [];
      for await (const model of openai.models.list()) ids.push(model.id);
      assert.ok(ids.includes('gpt-4o-mini'));
    });
  });

  describe('Anthropic messages', () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Say hello.' }] };

    it('answers JSON with input tokens that exclude cache reads and writes', async () => {
      fake.behave(() => ({ kind: 'ok', usage: { cachedTokens: 100, cacheWriteTokens: 20 } }));
      const message = await anthropic.messages.create(params);
      assert.deepEqual(message.content, [{ type: 'text', text: DEFAULT_TEXT }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.usage.input_tokens, countTokens('Be brief.\nSay hello.'));
      assert.equal(message.usage.cache_read_input_tokens, 100);
      assert.equal(message.usage.cache_creation_input_tokens, 20);
      assert.equal(firstRequest().apiKey, 'sk-ant-test');
    });

    it('streams events that messages.stream() turns into a final message with usage', async () => {
      fake.behave(() => ({ kind: 'ok', text: 'One two three four.', usage: { cachedTokens: 40 } }));
      const stream = anthropic.messages.stream(params);
      let streamedText = '';
      stream.on('text', (delta) => {
        streamedText += delta;
      });
      const final = await stream.finalMessage();
      assert.equal(streamedText, 'One two three four.');
      assert.equal(final.usage.output_tokens, countTokens('One two three four.'));
      assert.equal(final.usage.input_tokens, countTokens('Be brief.\nSay hello.'));
      assert.equal(final.usage.cache_read_input_tokens, 40);
    });

    it('refuses a call without anthropic-version like the real API', async () => {
      const response = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'k' }, body: JSON.stringify(params) });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.deepEqual(body.error, { type: 'invalid_request_error', message: 'anthropic-version: header is required' });
    });

    it('lists models in Anthropic page shape on the same path', async () => {
      const page = await anthropic.models.list();
      assert.ok(page.data.every((model) => model.type === 'model'));
    });
  });

  describe('failure scenarios', () => {
    const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const claude = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Hi' }] };

    it('surfaces a 429 as the OpenAI SDK RateLimitError with retry headers', async () => {
      fake.behave(() => ({ kind: 'rate-limit', retryAfterSeconds: 7, retryAfterMs: 7000, resetRequests: '6m0s' }));
      const error = await openai.chat.completions.create(chat).catch((caught: unknown) => caught);
      assert.ok(error instanceof OpenAI.RateLimitError);
      assert.equal(error.headers.get('retry-after'), '7');
      assert.equal(error.headers.get('retry-after-ms'), '7000');
      assert.equal(error.headers.get('x-ratelimit-reset-requests'), '6m0s');
      assert.equal(error.code, 'rate_limit_exceeded');
    });

    it('surfaces a 429 as the Anthropic SDK RateLimitError with an RFC 3339 reset', async () => {
      const resetAt = new Date('2030-01-01T00:00:30Z');
      fake.behave(() => ({ kind: 'rate-limit', retryAfterSeconds: 30, resetAt }));
      const error = await anthropic.messages.create(claude).catch((caught: unknown) => caught);
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.headers?.get('retry-after'), '30');
      assert.equal(error.headers?.get('anthropic-ratelimit-requests-reset'), '2030-01-01T00:00:30Z');
      assert.equal(error.type, 'rate_limit_error');
    });

    it('answers any status in the provider error shape', async () => {
      fake.behave(() => ({ kind: 'status', status: 529 }));
      const overloaded = await anthropic.messages.create(claude).catch((caught: unknown) => caught);
      assert.ok(overloaded instanceof Anthropic.APIError);
      assert.equal(overloaded.status, 529);
      assert.equal(overloaded.type, 'overloaded_error');
      fake.behave(() => ({ kind: 'status', status: 500, message: 'boom' }));
      const serverError = await openai.chat.completions.create(chat).catch((caught: unknown) => caught);
      assert.ok(serverError instanceof OpenAI.InternalServerError);
      assert.match(serverError.message, /boom/);
    });

    it('makes the SDK stream throw after the events sent before a mid-stream reset', async () => {
      fake.behave(() => ({ kind: 'reset-mid-stream', afterEvents: 2 }));
      const stream = await openai.chat.completions.create({ ...chat, stream: true });
      let received = 0;
      await assert.rejects(async () => {
        for await (const _chunk of stream) received++;
      });
      assert.equal(received, 2);
      assert.equal(await firstRequest().settled, 'cut');
      assert.equal(firstRequest().aborted, false);
    });

    it('resets before headers as a connection error', async () => {
      fake.behave(() => ({ kind: 'reset-before-headers' }));
      await assert.rejects(openai.chat.completions.create(chat), OpenAI.APIConnectionError);
    });

    it('sends unparseable JSON and unparseable stream events when malformed', async () => {
      fake.behave(() => ({ kind: 'malformed' }));
      await assert.rejects(openai.chat.completions.create(chat), SyntaxError);
      // The SDK logs the unparseable event before throwing; keep the test output clean.
      const quiet = new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseUrl, maxRetries: 0, logLevel: 'off' });
      const stream = quiet.messages.stream(claude);
      // MessageStream wraps the JSON.parse failure in an AnthropicError.
      await assert.rejects(stream.finalMessage(), /Unterminated string in JSON/);
    });

    it('answers unknown paths with a 404 and bad JSON with a 400 in OpenAI shape', async () => {
      const notFound = await fetch(`${fake.url}/v1/nothing`, { method: 'POST', body: '{}' });
      assert.equal(notFound.status, 404);
      assert.equal(((await notFound.json()) as { error: { message: string } }).error.message, 'Invalid URL (POST /v1/nothing)');
      const badJson = await fetch(`${fake.openaiBaseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{"model":' });
      assert.equal(badJson.status, 400);
      assert.equal(((await badJson.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    });
  });

  describe('client disconnects and stalls', () => {
    const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }], stream: true as const };

    it('records aborted when the client abandons a slow stream', async () => {
      fake.behave(() => ({ kind: 'ok', chunkDelayMs: 40 }));
      const stream = await openai.chat.completions.create(chat);
      for await (const _chunk of stream) break; // leaving the loop aborts the HTTP request
      assert.equal(await firstRequest().settled, 'aborted');
      assert.equal(firstRequest().aborted, true);
    });

    it('stalls until the client times out, which counts as an abort', async () => {
      fake.behave(() => ({ kind: 'stall' }));
      await assert.rejects(openai.chat.completions.create(chat, { timeout: 150 }), OpenAI.APIConnectionTimeoutError);
      assert.equal(await firstRequest().settled, 'aborted');
    });

    it('stalls mid-stream after the requested events', async () => {
      fake.behave(() => ({ kind: 'stall', afterEvents: 1 }));
      const controller = new AbortController();
      const stream = await openai.chat.completions.create(chat, { signal: controller.signal });
      const iterator = stream[Symbol.asyncIterator]();
      assert.equal((await iterator.next()).value?.choices[0]?.delta.role, 'assistant');
      controller.abort();
      assert.equal(await firstRequest().settled, 'aborted');
    });
  });

  describe('lifecycle', () => {
    it('closes promptly with a stalled exchange open, and can skip recording', async () => {
      const quiet = await startFakeUpstream({ record: false, defaults: { text: 'Quiet.' } });
      quiet.behave((_request, index) => (index === 0 ? undefined : { kind: 'stall' }));
      const client = new OpenAI({ apiKey: 'k', baseURL: quiet.openaiBaseUrl, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(completion.choices[0]?.message.content, 'Quiet.');
      const stalled = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await quiet.close();
      assert.ok((await stalled) instanceof OpenAI.APIConnectionError);
      assert.equal(quiet.requests.length, 0);
    });
  });
});
