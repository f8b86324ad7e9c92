import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { startHarness, type Harness } from '../helpers/harness';
import { rawCall, type RawResponse } from '../helpers/raw-http';

/**
 * JSON.parse accepts any depth; a recursive walk over the parsed value does not. Deep nesting in
 * a caller's message content, or in a provider's answer, used to throw "Maximum call stack size
 * exceeded" where the gateway counts tokens itself (a provider that sends no usage) or
 * re-serialises the body (model rename, stream usage request): a 500 after the provider was
 * paid, or, from a stream's 'close' listener, the end of the daemon (issue 13). Text the
 * tokenizer chokes on (special-token strings, one endless word) is counted too, in bounded time.
 */
const DEPTH = 100_000;
const deepContent = `${'['.repeat(DEPTH)}"deep down"${']'.repeat(DEPTH)}`;

function chatBody(fields: string, content = deepContent): string {
  return `{"model":"gpt-4o","messages":[{"role":"user","content":${content}}]${fields}}`;
}

describe('deeply nested JSON and text the tokenizer chokes on', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, models: { renamed: { targets: ['openai/gpt-4o'] } } }) });
  });
  after(() => h.close());
  beforeEach(() => h.reset());

  const post = (body: string): Promise<RawResponse> =>
    rawCall(h.gateway.url, { path: '/v1/chat/completions', body, headers: { authorization: `Bearer ${h.gateway.token}` } });

  it('counts the tokens of deeply nested content when the provider sends no usage', async () => {
    h.fake.behave(() => ({ kind: 'ok', omitUsage: true }));
    const res = await post(chatBody(''));
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-tollgate-cost-usd'] !== undefined, true);
    const [row] = await h.waitForRequests(1);
    assert.equal(row!.status, 200);
    assert.equal(row!.costEstimated, true);
    assert.ok(row!.promptTokens! > 0);
  });

  it('streams it to the end and logs it once, estimated, when the stream carries no usage', async () => {
    h.fake.behave(() => ({ kind: 'ok', omitUsage: true }));
    const res = await post(chatBody(',"stream":true,"stream_options":{"include_usage":true}'));
    assert.equal(res.status, 200);
    assert.match(res.body, /data: \[DONE\]\n\n$/);
    const [row] = await h.waitForRequests(1);
    assert.deepEqual([row!.status, row!.errorClass, row!.costEstimated], [200, null, true]);
  });

  it('re-serialises a deep body without loss when the gateway edits it (stream usage, model alias)', async () => {
    const streamed = await post(chatBody(',"stream":true'));
    assert.equal(streamed.status, 200);
    const renamed = await post(chatBody('').replace('"gpt-4o"', '"renamed"'));
    assert.equal(renamed.status, 200);
    const sent = h.fake.requests.map((r) => r.json as { model: string; stream_options?: unknown; messages: { content: unknown }[] });
    assert.deepEqual(sent[0]!.stream_options, { include_usage: true });
    assert.equal(sent[1]!.model, 'gpt-4o');
    for (const body of sent) assert.equal(depthOf(body.messages[0]!.content), DEPTH);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => r.status), [200, 200]);
  });

  it('counts a provider answer whose content is deeply nested', async () => {
    const answer = `{"id":"chatcmpl-deep","object":"chat.completion","created":0,"model":"gpt-4o","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":${deepContent}}}]}`;
    h.fake.behave(() => ({ kind: 'status', status: 200, rawBody: answer }));
    const res = await post(chatBody('', '"hi"'));
    assert.equal(res.status, 200);
    const [row] = await h.waitForRequests(1);
    assert.deepEqual([row!.status, row!.costEstimated, row!.completionTokens! > 0], [200, true, true]);
  });

  it('counts special-token strings and one endless word, in bounded time', async () => {
    h.fake.behave(() => ({ kind: 'ok', omitUsage: true, text: 'say <|endoftext|> and <|im_start|>' }));
    const special = await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'what is <|endoftext|>?' }] });
    assert.equal(special.choices[0]?.message.content, 'say <|endoftext|> and <|im_start|>');
    h.fake.behave(() => ({ kind: 'ok', omitUsage: true }));
    const started = performance.now();
    await h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a'.repeat(100_000) }] });
    // Counted whole, this word alone took about 10 s; counted in pieces, well under 100 ms.
    assert.ok(performance.now() - started < 2_000, `took ${Math.round(performance.now() - started)} ms`);
    const rows = await h.waitForRequests(2);
    assert.deepEqual(rows.map((r) => [r.status, r.errorClass, r.costEstimated]), [[200, null, true], [200, null, true]]);
    assert.ok(Math.abs(rows[0]!.promptTokens! - 100_000 / 8) < 100_000 / 8 / 2, `${rows[0]!.promptTokens} tokens for 100,000 letters`);
    assert.ok(rows[1]!.completionTokens! > 5);
  });

  it('refuses a config patch nested 100,000 deep with 400, leaving the config as it was', async () => {
    const before = await h.admin.get<{ config: unknown }>('/tollgate/v1/config');
    const patch = `{"cache":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}`;
    const res = await rawCall(h.gateway.url, { method: 'PATCH', path: '/tollgate/v1/config', body: patch, headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(res.status, 400);
    assert.match(res.body, /nested deeper than 32 levels/);
    assert.deepEqual(await h.admin.get<{ config: unknown }>('/tollgate/v1/config'), before);
  });
});

/** Depth of nested single-element arrays, without recursion (the point of these tests). */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let node = value; Array.isArray(node); node = node[0]) depth++;
  return depth;
}
