import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { cacheKeyFor, canonical, isDeterministic } from '../../daemon/gateway/cache/cache-key';
import { cachePolicy } from '../../daemon/gateway/cache/cache-policy';
import { jsonToStream } from '../../daemon/gateway/cache/json-to-stream';
import { MemoryLru } from '../../daemon/gateway/cache/memory-lru';
import { isCompleteStream, streamToJson } from '../../daemon/gateway/cache/stream-to-json';
import { parseConfig } from '../../daemon/gateway/config/load';

const sse = (...events: unknown[]): Buffer => Buffer.from(events.map((e) => (typeof e === 'string' ? e : `data: ${JSON.stringify(e)}\n\n`)).join(''));
const named = (type: string, data: unknown): string => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

describe('cache key', () => {
  const key = (body: Record<string, unknown>, model = 'gpt-4o-mini') => cacheKeyFor({ endpoint: 'chat', provider: 'openai', upstreamModel: model, body });

  it('ignores key order at every depth, delivery and caller metadata; not the parameters that change the answer', () => {
    const base = { model: 'x', temperature: 0, messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema', json_schema: { name: 'a', strict: true } } };
    const reordered = { response_format: { json_schema: { strict: true, name: 'a' }, type: 'json_schema' }, messages: [{ content: 'hi', role: 'user' }], temperature: 0, model: 'alias' };
    assert.equal(key(base), key(reordered));
    assert.equal(key(base), key({ ...base, stream: true, stream_options: { include_usage: true }, user: 'u', metadata: { a: 1 }, store: true }));
    assert.notEqual(key(base), key({ ...base, temperature: 0.1 }));
    assert.notEqual(key(base), key({ ...base, messages: [{ role: 'user', content: 'hi!' }] }));
    assert.notEqual(key(base), key(base, 'gpt-4o'), 'the upstream model is part of the key');
    assert.notEqual(key({ ...base, tools: [] }), key(base), 'an empty array is not a missing field');
  });

  it('canonicalizes a body nested deeper than the stack, and keeps "__proto__" as data', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i++) deep = { b: deep, a: i };
    assert.doesNotThrow(() => key({ messages: [], deep }));
    const proto = canonical(JSON.parse('{"z":1,"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(proto), ['__proto__', 'z']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('deterministic means temperature 0 or a seed; embeddings always', () => {
    assert.equal(isDeterministic('chat', { temperature: 0 }), true);
    assert.equal(isDeterministic('chat', { seed: 1 }), true);
    assert.equal(isDeterministic('chat', {}), false);
    assert.equal(isDeterministic('messages', { temperature: 0.7 }), false);
    assert.equal(isDeterministic('embeddings', {}), true);
  });
});

describe('cache policy from headers', () => {
  const config = (cache: Record<string, unknown> = {}) => parseConfig({ cache: { enabled: true, ...cache } }, 'test');
  const policy = (headers: Record<string, string>, body: Record<string, unknown> = { temperature: 0 }, cache = {}) => cachePolicy(headers, 'chat', body, config(cache));

  it('reads each header as documented', () => {
    assert.deepEqual(policy({}), { state: 'miss', read: true, write: true, only: false, maxAgeMs: undefined });
    assert.equal(policy({ 'x-tollgate-cache': 'bypass' }).state, 'bypass');
    assert.equal(policy({ 'cache-control': 'no-store' }).state, 'bypass');
    assert.deepEqual(policy({ 'x-tollgate-cache': 'refresh' }), { state: 'miss', read: false, write: true, only: false, maxAgeMs: undefined });
    assert.equal(policy({ 'cache-control': 'no-cache' }).read, false);
    assert.equal(policy({ 'cache-control': 'public, max-age=30' }).maxAgeMs, 30_000);
    assert.equal(policy({ 'x-tollgate-cache': 'ONLY' }).only, true);
    assert.equal(policy({}, {}).state, 'bypass', 'a sampled request is not cached by default');
    assert.equal(policy({}, {}, { cacheable: 'all' }).state, 'miss');
    assert.equal(cachePolicy({}, 'chat', { temperature: 0 }, parseConfig({}, 'test')).state, 'off');
  });
});

describe('stream and JSON forms of one answer', () => {
  const chatStream = sse(
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', system_fingerprint: 'fp', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Let me ' }, finish_reason: null }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'check.', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } }] }, finish_reason: null }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }, finish_reason: null }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
    'data: [DONE]\n\n',
  );

  it('a chat stream adds up to its chat.completion, tool calls included; and that streams back to the same JSON', () => {
    assert.equal(isCompleteStream('chat', chatStream), true);
    assert.equal(isCompleteStream('chat', chatStream.subarray(0, chatStream.length - 20)), false);
    const json = streamToJson('chat', chatStream)!;
    assert.deepEqual(json['choices'], [
      {
        index: 0,
        message: { role: 'assistant', content: 'Let me check.', refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }], annotations: [] },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    assert.deepEqual(json['usage'], { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    const again = streamToJson('chat', jsonToStream('chat', json, true)!);
    assert.deepEqual(again, json);
    assert.doesNotMatch(jsonToStream('chat', json, false)!.toString(), /"usage"/);
  });

  it('an Anthropic stream adds up to its message: text, tool input, thinking, stop reason and usage', () => {
    const stream = Buffer.from(
      [
        named('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }),
        named('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
        named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } }),
        named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
        named('content_block_stop', { type: 'content_block_stop', index: 0 }),
        named('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
        named('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking ' } }),
        named('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'now.' } }),
        named('content_block_stop', { type: 'content_block_stop', index: 1 }),
        named('content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'tu_1', name: 'weather', input: {} } }),
        named('content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } }),
        named('content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
        named('content_block_stop', { type: 'content_block_stop', index: 2 }),
        named('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } }),
        named('message_stop', { type: 'message_stop' }),
      ].join(''),
    );
    assert.equal(isCompleteStream('messages', stream), true);
    const message = streamToJson('messages', stream)!;
    assert.deepEqual(message['content'], [
      { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
      { type: 'text', text: 'Checking now.' },
      { type: 'tool_use', id: 'tu_1', name: 'weather', input: { city: 'Paris' } },
    ]);
    assert.equal(message['stop_reason'], 'tool_use');
    assert.deepEqual(message['usage'], { input_tokens: 20, output_tokens: 42 });
    assert.deepEqual(streamToJson('messages', jsonToStream('messages', message, true)!), message);
  });

  it('a Responses stream is its response.completed; a response streams back to it', () => {
    const response = { id: 'resp_1', object: 'response', status: 'completed', output: [{ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi there', annotations: [] }] }], usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } };
    const stream = jsonToStream('responses', response, true)!;
    assert.equal(isCompleteStream('responses', stream), true);
    assert.match(stream.toString(), /event: response.output_text.delta\ndata: .*"delta":"Hi there"/);
    assert.deepEqual(streamToJson('responses', stream), response);
  });

  it('what is not its API answer converts to nothing rather than to a wrong answer', () => {
    assert.equal(streamToJson('chat', Buffer.from('data: not json\n\n')), undefined);
    assert.equal(jsonToStream('chat', { nope: true }, false), undefined);
    assert.equal(streamToJson('messages', sse({ type: 'ping' })), undefined);
  });
});

describe('memory LRU', () => {
  it('stays under its byte limit, dropping the least recently used first', () => {
    const lru = new MemoryLru<string>(() => 10, (value) => value.length);
    lru.set('a', 'aaaa');
    lru.set('b', 'bbbb');
    lru.get('a');
    lru.set('c', 'cccc');
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 'aaaa');
    assert.equal(lru.bytes, 8);
    lru.set('huge', 'x'.repeat(11));
    assert.equal(lru.get('huge'), undefined, 'a value over the limit is not kept');
    assert.equal(lru.deleteWhere((v) => v.startsWith('c')), 1);
    assert.equal(lru.size, 1);
  });
});
