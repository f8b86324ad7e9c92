import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { semanticGuard, stem } from '../../daemon/gateway/cache/semantic/guards';
import { semanticQuery } from '../../daemon/gateway/cache/semantic/scope';
import { normalize, VectorIndex } from '../../daemon/gateway/cache/semantic/vector-index';

describe('semantic guards', () => {
  it('let a paraphrase through that only adds or drops words', () => {
    assert.equal(semanticGuard('How do I reverse a list in Python?', 'Can you please tell me how to reverse a list in Python?'), undefined);
    assert.equal(semanticGuard('WHAT IS A MONAD', 'what is a monad?'), undefined);
    assert.equal(semanticGuard('explain kubernetes pods', 'Explain Kubernetes pods'), undefined);
  });

  it('name the difference that forces a miss', () => {
    const cases: [string, string, RegExp][] = [
      ['Is it safe?', 'Is it not safe?', /negation/],
      ["Should I use it?", "Shouldn't I use it?", /negation/],
      ['Give me 3 tips', 'Give me three tips please', /^$/],
      ['Give me 3 tips', 'Give me 5 tips', /number/],
      ['Give me three tips', 'Give me five tips', /number/],
      ['Sort ascending', 'Sort descending', /direction/],
      ['Is this code safe?', 'Is this code unsafe?', /negated form/],
      ['Translate "hello"', 'Translate "goodbye"', /quoted/],
      ['What does useEffect do?', 'What does useMemo do?', /identifier/],
      ['Capital of France?', 'Capital of Germany?', /name/],
      ['How do I bake bread?', 'How do I bake cookies?', /content word/],
    ];
    for (const [a, b, expected] of cases) assert.match(semanticGuard(a, b) ?? '', expected, `${a} | ${b}`);
  });

  it('stems plurals and verb forms alike', () => {
    assert.equal(stem('lists'), stem('list'));
    assert.equal(stem('sorting'), stem('sort'));
    assert.equal(stem('processes'), stem('process'));
    assert.equal(stem('queries'), stem('query'));
  });
});

describe('semantic scope', () => {
  const chat = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ model: 'm', temperature: 0, messages, ...extra });

  it('compares the last user message only; everything else is the scope', () => {
    const a = semanticQuery('chat', 'openai', 'gpt-4o-mini', chat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Question one' }]))!;
    const b = semanticQuery('chat', 'openai', 'gpt-4o-mini', chat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Question two' }] }]))!;
    assert.equal(a.scope, b.scope);
    assert.deepEqual([a.text, b.text], ['Question one', 'Question two']);
    const otherSystem = semanticQuery('chat', 'openai', 'gpt-4o-mini', chat([{ role: 'system', content: 'Be long.' }, { role: 'user', content: 'Question one' }]))!;
    assert.notEqual(otherSystem.scope, a.scope);
    assert.notEqual(semanticQuery('chat', 'openai', 'gpt-4o', chat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Question one' }]))!.scope, a.scope);
  });

  it('leaves out tools, images, a last turn that is not the user\'s, and other endpoints', () => {
    assert.equal(semanticQuery('chat', 'p', 'm', chat([{ role: 'user', content: 'hi' }], { tools: [] })), undefined);
    assert.equal(semanticQuery('chat', 'p', 'm', chat([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }])), undefined);
    assert.equal(semanticQuery('chat', 'p', 'm', chat([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }])), undefined);
    assert.equal(semanticQuery('embeddings', 'p', 'm', { model: 'm', input: 'hi' }), undefined);
    assert.ok(semanticQuery('messages', 'anthropic', 'claude', { model: 'claude', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }));
  });
});

describe('vector index', () => {
  it('finds the stored vector nearest a query above the threshold, as an exact scan does, and forgets removed ones', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const vector = (): Float32Array => normalize(Array.from({ length: 64 }, random));
    const index = new VectorIndex(64);
    const stored = Array.from({ length: 2000 }, vector);
    stored.forEach((v, id) => index.add(id, v));
    let agreed = 0;
    for (let q = 0; q < 200; q++) {
      const target = stored[q * 7]!;
      const noise = vector();
      const query = normalize(target.map((x, i) => 0.97 * x + 0.243 * noise[i]!));
      const found = index.nearest(query, 0.9)[0];
      if (found?.id === index.scan(query)!.id && found.id === q * 7) agreed++;
    }
    assert.ok(agreed >= 190, `${agreed} of 200 queries found their neighbour`);
    index.remove(0);
    assert.equal(index.size, 1999);
    assert.equal(index.nearest(stored[0]!, 0.99).length, 0);
  });
});
