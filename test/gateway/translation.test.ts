import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import { priceUsage } from '../../daemon/pricing/price';
import { countChatTokens } from '../../daemon/pricing/tokens';
import type { RecordedRequest } from '../fixtures/fake-upstream/types';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * "Change only the base URL" across APIs: the Anthropic SDK served by an OpenAI-type provider and
 * the OpenAI SDK served by an Anthropic-type provider, JSON and streams, tools and tool results,
 * images, stop reasons, usage with cached tokens and errors. Each case checks what the provider
 * received (the fake refuses conversations its real API would refuse) and what the SDK parsed.
 */
/** Anthropic SDK params with fields this SDK release does not type (temperature, top_k). */
const untyped = (params: Record<string, unknown>): Anthropic.MessageCreateParamsNonStreaming => params as unknown as Anthropic.MessageCreateParamsNonStreaming;

/** Text blocks as {type, text}: the SDK's stream accumulator adds `citations: undefined`. */
const textBlocks = (content: Anthropic.ContentBlock[]): { type: string; text: string }[] =>
  content.map((block) => (block.type === 'text' ? { type: block.type, text: block.text } : { type: block.type, text: '' }));

describe('API translation, both ways, through the official SDKs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const WEATHER_TOOL = { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
  const ARGS = { city: 'Paris', unit: 'celsius', days: [1, 2, 3] };
  const only = (): RecordedRequest => {
    assert.equal(h.fake.requests.length, 1, 'one provider call');
    return h.fake.requests[0]!;
  };
  const sent = (): Record<string, unknown> => only().json as Record<string, unknown>;

  describe('the Anthropic SDK, served by an OpenAI-type provider (model gpt-4o-mini)', () => {
    it('a message with a system prompt and an image: chat completions upstream, an Anthropic message back, priced and logged in both shapes', async () => {
      h.fake.behave(() => ({ kind: 'ok', text: 'A single red pixel.', usage: { cachedTokens: 64 } }));
      const { data: message, response } = await h
        .anthropic()
        .messages.create(
          // This SDK release's types lack temperature; the API takes it.
          untyped({
            model: 'gpt-4o-mini',
            max_tokens: 300,
            system: 'You describe images in one sentence.',
            temperature: 0,
            stop_sequences: ['END'],
            messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } }] }],
          }),
        )
        .withResponse();
      const upstream = only();
      assert.equal(upstream.path, '/v1/chat/completions');
      assert.equal(upstream.headers['anthropic-version'], undefined, "the caller's API headers stay behind");
      assert.equal(upstream.apiKey, 'sk-test-openai-0123456789abcdef0123456789abcdef');
      assert.deepEqual(upstream.json, {
        model: 'gpt-4o-mini',
        max_tokens: 300,
        temperature: 0,
        stop: ['END'],
        messages: [
          { role: 'system', content: 'You describe images in one sentence.' },
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }] },
        ],
      });
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.deepEqual(message.content, [{ type: 'text', text: 'A single red pixel.' }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.usage.cache_read_input_tokens, 64);
      assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
      const [row] = await h.waitForRequests(1);
      assert.deepEqual([row!.endpoint, row!.upstreamEndpoint, row!.status, row!.usageSource], ['messages', 'chat', 200, 'provider']);
      assert.equal(row!.promptTokens, message.usage.input_tokens + 64, "the log counts input as OpenAI does: cached tokens included");
      assert.equal(row!.cachedTokens, 64);
      assert.equal(row!.completionTokens, message.usage.output_tokens);
      const price = priceUsage(
        { inputTokens: row!.promptTokens!, outputTokens: row!.completionTokens!, cacheReadTokens: 64, cacheWriteTokens: 0 },
        { pricingProvider: 'openai', baseUrl: h.fake.openaiBaseUrl, model: 'gpt-4o-mini' },
      );
      assert.ok(price.known);
      assert.equal(row!.costUsd, price.costUsd);
    });

    it('a streamed message: the SDK assembles the text, the stop reason and the usage from translated events', async () => {
      h.fake.behave(() => ({ kind: 'ok', text: 'One, two, three, four, five, six.', truncated: true }));
      const stream = h.anthropic().messages.stream({ model: 'gpt-4o-mini', max_tokens: 60, messages: [{ role: 'user', content: 'Count.' }] });
      const deltas: string[] = [];
      stream.on('text', (text) => deltas.push(text));
      const message = await stream.finalMessage();
      assert.ok(deltas.length > 1, 'the text arrived in pieces');
      assert.equal(deltas.join(''), 'One, two, three, four, five, six.');
      assert.deepEqual(textBlocks(message.content), [{ type: 'text', text: 'One, two, three, four, five, six.' }]);
      assert.equal(message.stop_reason, 'max_tokens');
      const body = sent();
      assert.equal(body['stream'], true);
      assert.deepEqual(body['stream_options'], { include_usage: true });
      const [row] = await h.waitForRequests(1);
      assert.equal(row!.usageSource, 'provider');
      assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [row!.promptTokens, row!.completionTokens]);
      assert.ok(row!.costUsd! > 0);
    });

    for (const streamed of [false, true]) {
      it(`tools${streamed ? ', streamed' : ''}: a tool_use block with the parsed input, and the tool_result turn reaches the provider as a tool message`, async () => {
        h.fake.behave((req) => (req.index === 0 ? { kind: 'ok', text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: ARGS }] } : { kind: 'ok', text: 'Sunny.' }));
        const client = h.anthropic();
        const params = { model: 'gpt-4o-mini', max_tokens: 200, tools: [WEATHER_TOOL], tool_choice: { type: 'auto' as const, disable_parallel_tool_use: true }, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };
        const first = streamed ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
        assert.equal(first.stop_reason, 'tool_use');
        assert.equal(first.content.length, 2);
        assert.deepEqual(textBlocks(first.content.slice(0, 1)), [{ type: 'text', text: 'Let me check.' }]);
        const use = first.content[1];
        assert.ok(use?.type === 'tool_use');
        assert.equal(use.name, 'get_weather');
        assert.deepEqual(use.input, ARGS);
        const request = h.fake.requests[0]!.json as Record<string, unknown>;
        assert.deepEqual(request['tools'], [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: WEATHER_TOOL.input_schema } }]);
        assert.equal(request['tool_choice'], 'auto');
        assert.equal(request['parallel_tool_calls'], false);

        const second = await client.messages.create({
          ...params,
          messages: [...params.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18°C and sunny' }, { type: 'text', text: 'Thanks!' }] }],
        });
        assert.deepEqual(second.content, [{ type: 'text', text: 'Sunny.' }]);
        assert.equal(h.fake.requests.length, 2);
        const followUp = (h.fake.requests[1]!.json as { messages: unknown[] }).messages;
        assert.deepEqual(followUp.slice(1), [
          { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: use.id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(ARGS) } }] },
          { role: 'tool', tool_call_id: use.id, content: '18°C and sunny' },
          { role: 'user', content: 'Thanks!' },
        ]);
      });
    }

    it('a field with no OpenAI equivalent is refused with a 400 that names it, before any provider call, and logged once', async () => {
      await assert.rejects(
        h.anthropic().messages.create(untyped({ model: 'gpt-4o-mini', max_tokens: 10, top_k: 5, messages: [{ role: 'user', content: 'x' }] })),
        (error: unknown) => error instanceof Anthropic.BadRequestError && /top_k cannot be sent to an OpenAI-type provider/.test(error.message),
      );
      await assert.rejects(
        h.anthropic().messages.create({ model: 'gpt-4o-mini', max_tokens: 10, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] }),
        (error: unknown) => error instanceof Anthropic.BadRequestError && /tools\[0\].*web_search_20250305/.test(error.message),
      );
      assert.equal(h.fake.requests.length, 0);
      const rows = await h.waitForRequests(2);
      assert.deepEqual(rows.map((row) => [row.status, row.errorClass]), [[400, 'caller_untranslatable'], [400, 'caller_untranslatable']]);
    });

    it("token counting for an OpenAI-type model is answered by the gateway with the model's tokenizer, free and marked as an estimate", async () => {
      const messages = [{ role: 'user' as const, content: 'How many tokens does this sentence take?' }];
      const { data, response } = await h.anthropic().messages.countTokens({ model: 'gpt-4o-mini', system: 'Be exact.', messages }).withResponse();
      const expected = countChatTokens([{ role: 'system', content: 'Be exact.' }, ...messages], 'gpt-4o-mini').tokens;
      assert.equal(data.input_tokens, expected);
      assert.equal(response.headers.get('x-tollgate-estimated'), 'true');
      const withTools = await h.anthropic().messages.countTokens({ model: 'gpt-4o-mini', messages, tools: [WEATHER_TOOL] });
      assert.ok(withTools.input_tokens > expected, 'tool definitions count too');
      assert.equal(h.fake.requests.length, 0, 'no provider was asked');
      const rows = await h.waitForRequests(2);
      assert.deepEqual(rows.map((row) => [row.endpoint, row.upstreamEndpoint, row.costUsd, row.usageSource, row.promptTokens]), [
        ['count_tokens', null, 0, 'estimated', withTools.input_tokens],
        ['count_tokens', null, 0, 'estimated', expected],
      ]);
    });

    it("the provider's errors reach the SDK in Anthropic's shape, with the provider's status and message", async () => {
      const ask = () =>
        h
          .anthropic()
          .messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
          .then(() => undefined, (e: unknown) => e);
      h.fake.behave(() => ({ kind: 'status', status: 400, message: "Invalid 'messages[0].content': string too long." }));
      const refused = await ask();
      assert.ok(refused instanceof Anthropic.BadRequestError, String(refused));
      assert.deepEqual(refused.error, { type: 'error', error: { type: 'invalid_request_error', message: "Invalid 'messages[0].content': string too long." } });
    });

    it("every key resting after a 429: the gateway's own answer, in Anthropic's shape too", async () => {
      // Its own gateway: the key rests for 30 s, which must not reach the other tests.
      const resting = await startHarness();
      try {
        resting.fake.behave(() => ({ kind: 'rate-limit', limit: 'requests', retryAfterSeconds: 30 }));
        const limited = await resting
          .anthropic()
          .messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
          .then(() => undefined, (e: unknown) => e);
        assert.ok(limited instanceof Anthropic.RateLimitError, String(limited));
        assert.equal((limited.error as { error: { type: string } }).error.type, 'rate_limit_error');
      } finally {
        await resting.close();
      }
    });
  });

  describe('the OpenAI SDK, served by an Anthropic-type provider (model claude-sonnet-4-5)', () => {
    it('a chat with system and developer prompts and an image: a Messages call upstream, a chat.completion back, cached tokens counted', async () => {
      h.fake.behave(() => ({ kind: 'ok', text: 'A pixel.', usage: { cachedTokens: 32 } }));
      const completion = await h.openai().chat.completions.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        temperature: 0.5,
        stop: 'END',
        user: 'user-7',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Answer in English.' },
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }] },
        ],
      });
      const upstream = only();
      assert.equal(upstream.path, '/v1/messages');
      assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
      assert.deepEqual(upstream.json, {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        system: 'Be brief.\n\nAnswer in English.',
        temperature: 0.5,
        stop_sequences: ['END'],
        metadata: { user_id: 'user-7' },
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } }] }],
      });
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.choices[0]!.message.content, 'A pixel.');
      assert.equal(completion.choices[0]!.finish_reason, 'stop');
      assert.equal(completion.usage!.prompt_tokens_details!.cached_tokens, 32);
      const [row] = await h.waitForRequests(1);
      assert.deepEqual([row!.endpoint, row!.upstreamEndpoint, row!.provider], ['chat', 'messages', 'anthropic']);
      assert.deepEqual([row!.promptTokens, row!.completionTokens, row!.cachedTokens], [completion.usage!.prompt_tokens, completion.usage!.completion_tokens, 32]);
      assert.ok(row!.costUsd! > 0);
    });

    it('without max_tokens the provider is asked for 4096, the documented default', async () => {
      await h.openai().chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(sent()['max_tokens'], 4096);
    });

    for (const includeUsage of [false, true]) {
      it(`a streamed chat${includeUsage ? ' asking for usage' : ''}: the SDK reads the text in pieces${includeUsage ? ' and the usage chunk' : ', and no usage chunk it did not ask for'}`, async () => {
        h.fake.behave(() => ({ kind: 'ok', text: 'Streaming from Claude, word by word.' }));
        const stream = await h.openai().chat.completions.create({
          model: 'claude-sonnet-4-5',
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
          messages: [{ role: 'user', content: 'Go.' }],
        });
        const chunks: OpenAI.ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
        assert.equal(text, 'Streaming from Claude, word by word.');
        assert.equal(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length > 1, true);
        assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'stop');
        const usageChunks = chunks.filter((chunk) => chunk.usage);
        assert.equal(usageChunks.length, includeUsage ? 1 : 0);
        assert.equal(sent()['stream'], true);
        const [row] = await h.waitForRequests(1);
        assert.equal(row!.usageSource, 'provider');
        if (includeUsage) assert.deepEqual([usageChunks[0]!.usage!.prompt_tokens, usageChunks[0]!.usage!.completion_tokens], [row!.promptTokens, row!.completionTokens]);
      });
    }

    for (const streamed of [false, true]) {
      it(`tools${streamed ? ', streamed' : ''}: tool_calls with the arguments as JSON text, and the tool message goes back as a tool_result`, async () => {
        h.fake.behave((req) => (req.index === 0 ? { kind: 'ok', text: '', toolCalls: [{ name: 'get_weather', arguments: ARGS }, { name: 'get_weather', arguments: { city: 'Rome' } }] } : { kind: 'ok', text: 'Both sunny.' }));
        const client = h.openai();
        const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: WEATHER_TOOL.input_schema } }];
        const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and Rome?' }];
        const params = { model: 'claude-sonnet-4-5', tools, tool_choice: 'required' as const, messages };
        const first = streamed ? await client.chat.completions.stream(params).finalChatCompletion() : await client.chat.completions.create(params);
        const choice = first.choices[0]!;
        assert.equal(choice.finish_reason, 'tool_calls');
        const calls = choice.message.tool_calls!.map((call) => (call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : []));
        assert.deepEqual(calls, [['get_weather', ARGS], ['get_weather', { city: 'Rome' }]]);
        const request = h.fake.requests[0]!.json as Record<string, unknown>;
        assert.deepEqual(request['tools'], [{ name: 'get_weather', description: 'The weather in a city', input_schema: WEATHER_TOOL.input_schema }]);
        assert.deepEqual(request['tool_choice'], { type: 'any' });

        const ids = choice.message.tool_calls!.map((call) => call.id);
        const second = await client.chat.completions.create({
          ...params,
          tool_choice: 'auto',
          messages: [...messages, choice.message, { role: 'tool', tool_call_id: ids[0]!, content: '18°C' }, { role: 'tool', tool_call_id: ids[1]!, content: '21°C' }],
        });
        assert.equal(second.choices[0]!.message.content, 'Both sunny.');
        const followUp = (h.fake.requests[1]!.json as { messages: unknown[] }).messages;
        assert.deepEqual(followUp.slice(1), [
          { role: 'assistant', content: [{ type: 'tool_use', id: ids[0], name: 'get_weather', input: ARGS }, { type: 'tool_use', id: ids[1], name: 'get_weather', input: { city: 'Rome' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: ids[0], content: '18°C' }, { type: 'tool_result', tool_use_id: ids[1], content: '21°C' }] },
        ]);
      });
    }

    it('fields with no Anthropic equivalent are refused with a 400 that names them, before any provider call', async () => {
      const refused = async (extra: Record<string, unknown>, field: RegExp): Promise<void> => {
        await assert.rejects(
          h.openai().chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }], ...extra }),
          (error: unknown) => error instanceof OpenAI.BadRequestError && field.test(error.message) && error.code === 'caller_untranslatable',
        );
      };
      await refused({ n: 2 }, /^400 n cannot be sent to an Anthropic-type provider/);
      await refused({ seed: 7 }, /^400 seed cannot be sent/);
      await refused({ temperature: 1.5 }, /temperature .* 0 to 1/);
      await refused({ response_format: { type: 'json_object' } }, /response_format/);
      await refused({ logprobs: true }, /logprobs/);
      assert.equal(h.fake.requests.length, 0);
      await h.waitForRequests(5);
    });

    it("the provider's errors reach the SDK in OpenAI's shape, with the provider's message and status", async () => {
      h.fake.behave(() => ({ kind: 'status', status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' }));
      const error = await h
        .openai()
        .chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.match(error.message, /prompt is too long/);
      assert.equal(error.type, 'invalid_request_error');
    });
  });

  describe('the OpenAI SDK\'s Responses API, served by an Anthropic-type provider', () => {
    it('instructions, text and an image: a Messages call upstream, a response whose output_text the SDK reads', async () => {
      h.fake.behave(() => ({ kind: 'ok', text: 'One pixel, red.', usage: { cachedTokens: 8 } }));
      const response = await h.openai().responses.create({
        model: 'claude-sonnet-4-5',
        instructions: 'Be brief.',
        max_output_tokens: 120,
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: `data:image/png;base64,${PIXEL}`, detail: 'auto' }] }],
      });
      assert.deepEqual(sent(), {
        model: 'claude-sonnet-4-5',
        max_tokens: 120,
        system: 'Be brief.',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } }] }],
      });
      assert.equal(response.object, 'response');
      assert.equal(response.status, 'completed');
      assert.equal(response.output_text, 'One pixel, red.');
      assert.equal(response.usage!.input_tokens_details.cached_tokens, 8);
      const [row] = await h.waitForRequests(1);
      assert.deepEqual([row!.endpoint, row!.upstreamEndpoint, row!.usageSource], ['responses', 'messages', 'provider']);
      assert.deepEqual([row!.promptTokens, row!.completionTokens], [response.usage!.input_tokens, response.usage!.output_tokens]);
    });

    it('streamed: text deltas, and an answer stopped at the output cap is "incomplete"', async () => {
      h.fake.behave(() => ({ kind: 'ok', text: 'Words, streamed one by one, until the cap.', truncated: true }));
      const stream = h.openai().responses.stream({ model: 'claude-sonnet-4-5', input: 'Go on.', max_output_tokens: 60 });
      const deltas: string[] = [];
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      const response = await stream.finalResponse();
      assert.ok(deltas.length > 1);
      assert.equal(deltas.join(''), 'Words, streamed one by one, until the cap.');
      assert.equal(response.output_text, 'Words, streamed one by one, until the cap.');
      assert.equal(response.status, 'incomplete');
      assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
    });

    for (const streamed of [false, true]) {
      it(`function tools${streamed ? ', streamed' : ''}: function_call items with their arguments, and function_call_output goes back as a tool_result`, async () => {
        h.fake.behave((req) => (req.index === 0 ? { kind: 'ok', text: '', toolCalls: [{ name: 'get_weather', arguments: ARGS }] } : { kind: 'ok', text: 'Sunny in Paris.' }));
        const client = h.openai();
        const tools: OpenAI.Responses.FunctionTool[] = [{ type: 'function', name: 'get_weather', description: 'The weather in a city', parameters: WEATHER_TOOL.input_schema, strict: false }];
        const params = { model: 'claude-sonnet-4-5', tools, input: 'Weather in Paris?' };
        const first = streamed ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
        const call = first.output.find((item) => item.type === 'function_call');
        assert.ok(call?.type === 'function_call');
        assert.equal(call.name, 'get_weather');
        assert.deepEqual(JSON.parse(call.arguments), ARGS);
        assert.deepEqual((h.fake.requests[0]!.json as { tools: unknown })['tools'], [{ name: 'get_weather', description: 'The weather in a city', input_schema: WEATHER_TOOL.input_schema }]);
        const second = await client.responses.create({
          ...params,
          input: [{ role: 'user', content: 'Weather in Paris?' }, { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments }, { type: 'function_call_output', call_id: call.call_id, output: '18°C' }],
        });
        assert.equal(second.output_text, 'Sunny in Paris.');
        assert.deepEqual((h.fake.requests[1]!.json as { messages: unknown[] }).messages, [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: call.call_id, name: 'get_weather', input: ARGS }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.call_id, content: '18°C' }] },
        ]);
      });
    }

    it('what a stateless translation cannot keep is refused with a 400 naming it: previous_response_id, built-in tools, stored responses', async () => {
      const refused = async (extra: Record<string, unknown>, field: RegExp): Promise<void> => {
        await assert.rejects(
          h.openai().responses.create({ model: 'claude-sonnet-4-5', input: 'x', ...extra }),
          (error: unknown) => error instanceof OpenAI.BadRequestError && field.test(error.message),
        );
      };
      await refused({ previous_response_id: 'resp_1' }, /^400 previous_response_id cannot be sent/);
      await refused({ tools: [{ type: 'web_search_preview' }] }, /tools\[0\].*web_search_preview/);
      await refused({ store: true }, /^400 store cannot be sent/);
      await refused({ text: { format: { type: 'json_object' } } }, /text\.format/);
      assert.equal(h.fake.requests.length, 0);
    });
  });

  describe('translated streams that break', () => {
    it('a provider stream cut midway: both SDKs raise an error instead of returning a short answer, and the call is logged as interrupted', async () => {
      h.fake.behave(() => ({ kind: 'reset-mid-stream', afterEvents: 3 }));
      await assert.rejects(h.anthropic().messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] }).finalMessage());
      const chat = async (): Promise<void> => {
        const stream = await h.openai().chat.completions.create({ model: 'claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'x' }] });
        for await (const _chunk of stream);
      };
      await assert.rejects(chat());
      const rows = await h.waitForRequests(2);
      assert.deepEqual(rows.map((row) => [row.endpoint, row.upstreamEndpoint, row.status, row.errorClass]), [
        ['chat', 'messages', 502, 'provider_stream_interrupted'],
        ['messages', 'chat', 502, 'provider_stream_interrupted'],
      ]);
    });
  });

  describe('translation and the rest of the gateway', () => {
    let cached: Harness;
    afterEach(async () => cached?.close());

    it('a translated answer is cached in the caller\'s shape: a repeat is a hit the SDK parses, streamed or not', async () => {
      cached = await startHarness({ config: (base) => ({ ...base, cache: { enabled: true } }) });
      cached.fake.behave(() => ({ kind: 'ok', text: 'Cached across APIs.' }));
      const params = untyped({ model: 'gpt-4o-mini', max_tokens: 50, temperature: 0, messages: [{ role: 'user', content: `cache me ${Date.now()}` }] });
      const streamed = await cached.anthropic().messages.stream(params).finalMessage();
      const { data: again, response } = await cached.anthropic().messages.create(params).withResponse();
      assert.equal(response.headers.get('x-tollgate-cache'), 'hit');
      assert.deepEqual(again.content, [{ type: 'text', text: 'Cached across APIs.' }]);
      assert.equal(again.usage.output_tokens, streamed.usage.output_tokens);
      assert.equal(cached.fake.requests.length, 1);
    });
  });
});
