import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { TopLevelFields } from '../../daemon/gateway/usage/top-level-fields';

const WANTED = new Set(['model', 'usage']);

function pick(text: string, chunkSize: number): Record<string, unknown> {
  const fields = new TopLevelFields(WANTED);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) fields.push(bytes.subarray(i, i + chunkSize));
  return fields.result();
}

describe('top-level fields picked out of a streamed JSON object', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['OpenAI chat: model first, usage last', '{"id":"x","model":"gpt-4o","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}', { model: 'gpt-4o', usage: { prompt_tokens: 3, completion_tokens: 1 } }],
    ['embeddings: model and usage after the data', '{"object":"list","data":[{"embedding":[0.1,-0.2]}],"model":"text-embedding-3-large","usage":{"prompt_tokens":9,"total_tokens":9}}', { model: 'text-embedding-3-large', usage: { prompt_tokens: 9, total_tokens: 9 } }],
    ['nested "model" and "usage" keys are not top-level', '{"choices":[{"message":{"content":"x","model":"fake","usage":{"prompt_tokens":999}}}],"model":"real"}', { model: 'real' }],
    ['braces, quotes and escapes inside strings', '{"content":"a } \\" { ] [ , \\\\","model":"m\\"1","usage":{"note":"}{","prompt_tokens":1}}', { model: 'm"1', usage: { note: '}{', prompt_tokens: 1 } }],
    ['whitespace and non-ASCII', '{ "model" : "模型-1" ,\n "usage" : { "input_tokens" : 5 } }', { model: '模型-1', usage: { input_tokens: 5 } }],
    ['a member that is not an object or string', '{"model":null,"usage":42}', { model: null, usage: 42 }],
    ['none of them', '{"data":[1,2,3]}', {}],
  ];
  for (const [what, text, expected] of cases) {
    it(`${what}, in chunks of every size`, () => {
      for (const size of [1, 2, 3, 7, 64, text.length]) assert.deepEqual(pick(text, size), expected, `chunks of ${size}`);
    });
  }

  it('keeps no more than 64 KB of a member, and skips one larger', () => {
    const huge = `{"model":"${'x'.repeat(70_000)}","usage":{"prompt_tokens":1}}`;
    assert.deepEqual(pick(huge, 4096), { usage: { prompt_tokens: 1 } });
  });
});
