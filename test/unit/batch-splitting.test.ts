import assert from 'node:assert/strict';
import { parseMessageResults } from '../../daemon/gateway/jobs/batch/anthropic-batch-api';
import { parseBatchResults } from '../../daemon/gateway/jobs/batch/batch-results';
import { apportion, splitEmbeddings } from '../../daemon/gateway/batching/split-embeddings';

describe('apportion', () => {
  const cases: [string, number, number[], number[]][] = [
    ['equal weights, divisible', 12, [1, 1, 1], [4, 4, 4]],
    ['equal weights, remainder to the first', 10, [1, 1, 1], [4, 3, 3]],
    ['by weight', 100, [1, 3], [25, 75]],
    ['largest remainder wins', 10, [2, 2, 3], [3, 3, 4]],
    ['no weight: all to the first', 7, [0, 0], [7, 0]],
    ['nothing billed', 0, [5, 5], [0, 0]],
  ];
  for (const [name, total, weights, expected] of cases) {
    it(`${name}: ${total} over [${weights}] is [${expected}]`, () => {
      const shares = apportion(total, weights);
      assert.deepEqual(shares, expected);
      assert.equal(shares.reduce((a, b) => a + b, 0), total);
    });
  }
});

describe('splitEmbeddings', () => {
  const answer = (count: number, promptTokens: number): Buffer =>
    Buffer.from(JSON.stringify({ object: 'list', model: 'text-embedding-3-small', data: Array.from({ length: count }, (_, index) => ({ object: 'embedding', index, embedding: [index] })), usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }));

  it('gives each caller its vectors in order, re-indexed, with usage summing to the total', () => {
    const shares = [{ offset: 0, inputs: ['a b c', 'd'] }, { offset: 2, inputs: ['e f g h i j k l'] }];
    const parts = splitEmbeddings(answer(3, 50), shares, 'text-embedding-3-small')!.map((part) => JSON.parse(part.toString()) as { data: { index: number; embedding: number[] }[]; usage: { prompt_tokens: number } });
    assert.deepEqual(parts[0]!.data.map((d) => [d.index, d.embedding[0]]), [[0, 0], [1, 1]]);
    assert.deepEqual(parts[1]!.data.map((d) => [d.index, d.embedding[0]]), [[0, 2]]);
    assert.equal(parts[0]!.usage.prompt_tokens + parts[1]!.usage.prompt_tokens, 50);
    assert.ok(parts[1]!.usage.prompt_tokens > parts[0]!.usage.prompt_tokens);
  });

  it('refuses to split an answer without one vector per input', () => {
    assert.equal(splitEmbeddings(answer(2, 5), [{ offset: 0, inputs: ['a', 'b', 'c'] }], 'text-embedding-3-small'), undefined);
    assert.equal(splitEmbeddings(Buffer.from('not json'), [{ offset: 0, inputs: ['a'] }], 'text-embedding-3-small'), undefined);
  });
});

describe('parseBatchResults', () => {
  it('reads answers and lines the provider did not run, by custom id, skipping unreadable lines', () => {
    const output = [
      JSON.stringify({ id: 'r1', custom_id: 'job_a', response: { status_code: 200, request_id: 'req_1', body: { ok: true } }, error: null }),
      'garbage',
      '',
    ].join('\n');
    const errors = [
      JSON.stringify({ id: 'r2', custom_id: 'job_b', response: { status_code: 400, body: { error: { message: 'bad' } } }, error: null }),
      JSON.stringify({ id: 'r3', custom_id: 'job_c', response: null, error: { code: 'batch_expired', message: 'not run in time' } }),
    ].join('\n');
    const results = parseBatchResults(output, errors);
    assert.deepEqual(results.get('job_a'), { kind: 'answer', status: 200, body: { ok: true }, requestId: 'req_1' });
    assert.deepEqual(results.get('job_b'), { kind: 'answer', status: 400, body: { error: { message: 'bad' } }, requestId: null });
    assert.deepEqual(results.get('job_c'), { kind: 'not_run', reason: 'batch_expired: not run in time' });
    assert.equal(results.size, 3);
  });
});

describe('parseMessageResults (Anthropic)', () => {
  it('answers succeeded lines and the request errors, and leaves server errors, expired and canceled lines to run now', () => {
    const line = (customId: string, result: unknown): string => JSON.stringify({ custom_id: customId, result });
    const text = [
      line('ok', { type: 'succeeded', message: { type: 'message', content: [] } }),
      line('bad', { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } }),
      line('flaky', { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } }),
      line('late', { type: 'expired' }),
      line('stopped', { type: 'canceled' }),
    ].join('\n');
    const results = parseMessageResults(text);
    assert.deepEqual(results.get('ok'), { kind: 'answer', status: 200, body: { type: 'message', content: [] }, requestId: null });
    assert.deepEqual(results.get('bad'), { kind: 'answer', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }, requestId: null });
    assert.deepEqual(results.get('flaky'), { kind: 'not_run', reason: 'errored: Internal server error' });
    assert.deepEqual(results.get('late'), { kind: 'not_run', reason: 'expired' });
    assert.deepEqual(results.get('stopped'), { kind: 'not_run', reason: 'canceled' });
  });
});
