import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { GatewayError } from '../../daemon/gateway/http/errors';
import { chatToMessagesRequest } from '../../daemon/gateway/translate/chat-to-messages-request';
import { ChatStreamToMessages } from '../../daemon/gateway/translate/chat-stream-to-messages';
import { chatCompletionOfMessage, messageOfChatCompletion } from '../../daemon/gateway/translate/json-answers';
import { messagesToChatRequest } from '../../daemon/gateway/translate/messages-to-chat-request';
import { MessagesStreamToChat } from '../../daemon/gateway/translate/messages-stream-to-chat';
import { parseSseEvent, SseSplitter } from '../../daemon/gateway/usage/sse-splitter';

/** The corners of translation the SDK tests do not reach: every refusal names its field. */
const refuses = (translate: () => unknown, field: string): void => {
  assert.throws(translate, (error: unknown) => error instanceof GatewayError && error.status === 400 && error.errorClass === 'caller_untranslatable' && error.options.param === field);
};

describe('translation: Anthropic Messages requests to OpenAI chat', () => {
  const base = { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

  it('reasoning models get max_completion_tokens; extended thinking becomes a reasoning effort by its budget', () => {
    assert.equal(messagesToChatRequest({ ...base, model: 'o3-mini' })['max_completion_tokens'], 100);
    assert.equal(messagesToChatRequest(base)['max_tokens'], 100);
    const effort = (budget: number): unknown => messagesToChatRequest({ ...base, model: 'gpt-5', thinking: { type: 'enabled', budget_tokens: budget } })['reasoning_effort'];
    assert.deepEqual([effort(1024), effort(8000), effort(32000)], ['low', 'medium', 'high']);
    assert.equal(messagesToChatRequest({ ...base, thinking: { type: 'disabled' } })['reasoning_effort'], undefined);
  });

  it('an error tool result says so in its text, a PDF becomes a file part, system blocks are joined', () => {
    const out = messagesToChatRequest({
      ...base,
      system: [{ type: 'text', text: 'one', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'two' }],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: [{ type: 'text', text: 'boom' }] }, { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }] },
      ],
    });
    assert.deepEqual(out['messages'], [
      { role: 'system', content: 'one\n\ntwo' },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'Error: boom' },
      { role: 'user', content: [{ type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBE' } }] },
    ]);
  });

  it('refuses what has no equivalent, naming the field', () => {
    refuses(() => messagesToChatRequest({ ...base, top_k: 3 }), 'top_k');
    refuses(() => messagesToChatRequest({ ...base, mcp_servers: [{ url: 'x' }] }), 'mcp_servers');
    refuses(() => messagesToChatRequest({ ...base, stop_sequences: ['a', 'b', 'c', 'd', 'e'] }), 'stop_sequences');
    refuses(() => messagesToChatRequest({ ...base, messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: '…' }] }] }), 'messages[0].content[0]');
    refuses(() => messagesToChatRequest({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }), 'messages[0].content[0].source');
    refuses(() => messagesToChatRequest({ ...base, tool_choice: { type: 'sometimes' } }), 'tool_choice.type');
    // Off values pass: they ask for nothing.
    assert.doesNotThrow(() => messagesToChatRequest({ ...base, top_k: null, container: undefined }));
  });
});

describe('translation: OpenAI chat requests to Anthropic Messages', () => {
  const base = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] };

  it('merges turns of one role, drops empty assistant text, and parallel_tool_calls: false disables parallel use', () => {
    const out = chatToMessagesRequest({
      ...base,
      max_completion_tokens: 50,
      parallel_tool_calls: false,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
        { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'done' }] },
        { role: 'user', content: 'thanks' },
      ],
    });
    assert.equal(out['max_tokens'], 50);
    assert.deepEqual(out['tool_choice'], { type: 'auto', disable_parallel_tool_use: true });
    assert.deepEqual(out['messages'], [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'done' }, { type: 'text', text: 'thanks' }] },
    ]);
  });

  it('refuses what has no equivalent, naming the field; defaults pass', () => {
    refuses(() => chatToMessagesRequest({ ...base, messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'late' }] }), 'messages[1]');
    refuses(() => chatToMessagesRequest({ ...base, messages: [{ role: 'function', name: 'f', content: 'x' }] }), 'messages[0].name');
    refuses(() => chatToMessagesRequest({ ...base, tools: [{ type: 'function', function: { name: 'f', strict: true } }] }), 'tools[0].function.strict');
    refuses(() => chatToMessagesRequest({ ...base, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }), 'messages[0].tool_calls[0].function.arguments');
    refuses(() => chatToMessagesRequest({ ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }), 'messages[0].content[0]');
    refuses(() => chatToMessagesRequest({ ...base, frequency_penalty: 0.5 }), 'frequency_penalty');
    assert.doesNotThrow(() => chatToMessagesRequest({ ...base, n: 1, presence_penalty: 0, logprobs: false, store: false, response_format: { type: 'text' }, stream_options: { include_usage: true } }));
  });
});

describe('translation: answers', () => {
  it('a chat completion with a refusal and tool calls becomes an Anthropic message; arguments that are not an object are a 502', () => {
    const message = messageOfChatCompletion({
      id: 'chatcmpl-1',
      model: 'gpt-4o',
      choices: [{ message: { content: null, refusal: 'I cannot.', tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{"x":2}' } }] }, finish_reason: 'content_filter' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } },
    });
    assert.deepEqual(message['content'], [{ type: 'text', text: 'I cannot.' }, { type: 'tool_use', id: 'c1', name: 'f', input: { x: 2 } }]);
    assert.equal(message['stop_reason'], 'refusal');
    assert.deepEqual(message['usage'], { input_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 5 });
    assert.throws(
      () => messageOfChatCompletion({ choices: [{ message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"x":' } }] } }] }),
      (error: unknown) => error instanceof GatewayError && error.status === 502,
    );
  });

  it('an Anthropic message becomes a chat completion whose prompt_tokens include cache reads and writes', () => {
    const completion = chatCompletionOfMessage({ id: 'msg_1', model: 'claude', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], stop_reason: 'stop_sequence', usage: { input_tokens: 3, cache_read_input_tokens: 10, cache_creation_input_tokens: 2, output_tokens: 7 } }, 1_700_000_000_000);
    assert.deepEqual(completion['choices'], [{ index: 0, message: { role: 'assistant', content: 'ab', refusal: null }, logprobs: null, finish_reason: 'stop' }]);
    assert.deepEqual(completion['usage'], { prompt_tokens: 15, completion_tokens: 7, total_tokens: 22, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 0 } });
    assert.equal(completion['created'], 1_700_000_000);
  });
});

describe('translation: streams', () => {
  const events = (text: string): { type: string; [k: string]: unknown }[] =>
    new SseSplitter()
      .push(Buffer.from(text))
      .map((raw) => parseSseEvent(raw))
      .filter((event) => event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data) as { type: string });
  const feed = (translator: { push(e: { event: string | undefined; data: string }): string }, payloads: unknown[]): string =>
    payloads.map((payload) => translator.push({ event: undefined, data: typeof payload === 'string' ? payload : JSON.stringify(payload) })).join('');

  it('OpenAI chunks: a text block, then a block per tool call, closed in order, with the usage at the end', () => {
    const translator = new ChatStreamToMessages();
    const chunk = (delta: unknown, finish: string | null = null): unknown => ({ id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] });
    const out =
      feed(translator, [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Hi' }),
        chunk({ tool_calls: [{ index: 0, id: 't0', function: { name: 'a', arguments: '{"x"' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 't1', function: { name: 'b', arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
        { id: 'c', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } },
      ]) + feed(translator, ['[DONE]']);
    const types = events(out).map((event) => (event.type === 'content_block_delta' ? `delta${String(event['index'])}` : event.type));
    assert.deepEqual(types, ['message_start', 'content_block_start', 'delta0', 'content_block_stop', 'content_block_start', 'delta1', 'delta1', 'content_block_stop', 'content_block_start', 'delta2', 'content_block_stop', 'message_delta', 'message_stop']);
    const delta = events(out).find((event) => event.type === 'message_delta') as unknown as { delta: { stop_reason: string }; usage: { input_tokens: number; output_tokens: number } };
    assert.deepEqual([delta.delta.stop_reason, delta.usage.input_tokens, delta.usage.output_tokens], ['tool_use', 9, 4]);
    assert.deepEqual(translator.end(), { text: '', complete: true });
  });

  it('a chat stream that ends without a finish reason is incomplete; with one but without [DONE], it is closed', () => {
    const cut = new ChatStreamToMessages();
    feed(cut, [{ id: 'c', choices: [{ index: 0, delta: { content: 'Hi' } }] }]);
    assert.equal(cut.end().complete, false);
    const undone = new ChatStreamToMessages();
    feed(undone, [{ id: 'c', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] }]);
    const { text, complete } = undone.end();
    assert.equal(complete, true);
    assert.deepEqual(events(text).map((event) => event.type), ['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('Anthropic events: pings dropped, an error event becomes the error chunk, and nothing follows it', () => {
    const translator = new MessagesStreamToChat();
    const out = feed(translator, [
      { type: 'message_start', message: { id: 'm', model: 'claude', usage: { input_tokens: 5 } } },
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
    ]);
    const chunks = events(out) as unknown as { choices?: { delta: { content?: string } }[]; error?: { message: string; type: string } }[];
    assert.deepEqual(chunks.map((chunk) => chunk.choices?.[0]?.delta.content ?? chunk.error?.type), ['', 'Hel', 'overloaded_error']);
    assert.equal(translator.end().complete, true);
  });
});
