import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedLabel, expectedTokens, markerIds, markerPosition } from './helpers/expected';
import { FIXTURE_PROMPTS } from './helpers/fixture-prompts';
import { FIXTURES, fixtureUri, labelOf, startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * The hint server, driven over stdio, puts one inlay hint on the first line of every prompt in the
 * fixtures, for every pattern it knows (OpenAI, Anthropic, AI SDK, LangChain, prompt-named
 * variables; TypeScript, TSX, JavaScript, Python), and nowhere else. Counts equal gpt-tokenizer's
 * own count of the same text (encodeChat: chat framing included); costs equal priceUsage's.
 */
describe('hint server: inlay hints on the fixtures', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  for (const [file, { languageId, prompts }] of Object.entries(FIXTURE_PROMPTS)) {
    it(`${file}: a hint with the right count and cost on the line where each prompt starts, and no other`, async () => {
      const { uri, text } = await server.openFixture(file, languageId);
      const hints = await server.inlayHints(uri);
      // Every marker in the file has an expectation, so a fixture edit cannot go untested.
      assert.deepEqual(markerIds(text).sort(), prompts.map((prompt) => prompt.id).sort(), 'markers and expectations differ');
      const expected = prompts.map((prompt) => ({ id: prompt.id, position: markerPosition(text, prompt.id), label: expectedLabel(prompt) }));
      const actual = hints.map((hint) => ({ position: hint.position, label: labelOf(hint) }));
      const byPosition = (a: { position: { line: number; character: number } }, b: { position: { line: number; character: number } }) =>
        a.position.line - b.position.line || a.position.character - b.position.character;
      assert.deepEqual(
        actual.sort(byPosition),
        expected.sort(byPosition).map(({ position, label }) => ({ position, label })),
        `hints in ${file}; server stderr: ${server.stderr()}`,
      );
      await server.close(uri);
    });
  }

  it('counts a chat with its framing: the server\'s count differs from the plain text count', () => {
    // Guards the oracle itself: if encodeChat ever stopped adding framing, the tests above would
    // compare plain counts and no longer prove that chat overhead is included.
    const prompt = FIXTURE_PROMPTS['openai.ts']?.prompts.find((candidate) => candidate.id === 'chat-literal');
    assert.ok(prompt);
    const plain = expectedTokens({ ...prompt, format: 'text' });
    assert.ok(expectedTokens(prompt) >= plain + 3 + 2 * 3, `${expectedTokens(prompt)} vs ${plain}`);
  });

  it('a call whose messages are all unknown gets no hint (nothing known to count)', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const line = text.split('\n').findIndex((source) => source.includes('messages: history'));
    const hints = await server.inlayHints(uri);
    assert.ok(line > 0);
    assert.equal(hints.filter((hint) => hint.position.line === line).length, 0);
    await server.close(uri);
  });

  it('a model the price table lacks shows "$?" (never $0); a model the code does not name is the default one', async () => {
    const uri = 'file:///inline/models.ts';
    const text = [
      "client.chat.completions.create({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Hello there.' }] });",
      "client.chat.completions.create({ model: process.env.MODEL, messages: [{ role: 'user', content: 'Hello there.' }] });",
      '',
    ].join('\n');
    await server.open(uri, 'typescript', text);
    const labels = (await server.inlayHints(uri)).map(labelOf);
    const messages = [{ role: 'user' as const, content: 'Hello there.' }];
    const unknownModelTokens = expectedTokens({ id: 'unknown', format: 'chat', messages, pricingProvider: '', model: 'llama-3.1-8b-instant' });
    assert.deepEqual(labels, [
      `≈ ${unknownModelTokens} in + ~300 out ±10 % · $?`,
      expectedLabel({ id: 'default', format: 'chat', messages, pricingProvider: 'openai', model: 'gpt-4o-mini', defaultModel: true }),
    ]);
    await server.close(uri);
  });

  it('answers only for the requested range', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const literal = markerPosition(text, 'chat-literal');
    const hints = await server.inlayHints(uri, { start: { line: literal.line, character: 0 }, end: { line: literal.line + 1, character: 0 } });
    assert.deepEqual(
      hints.map((hint) => hint.position),
      [literal],
    );
    await server.close(uri);
  });

  it('prompt files: .prompty and .prompt are estimated, with the model from the front matter', async () => {
    for (const [file, expected] of [
      [
        'support.prompty',
        {
          id: 'prompty',
          format: 'chat',
          messages: [
            { role: 'system', content: 'You are a friendly support agent for Tollgate.\nAnswer only from the documentation below.' },
            { role: 'user', content: '' },
          ],
          lowerBound: true,
          maxOutput: 250,
          pricingProvider: 'openai',
          model: 'gpt-4o-mini',
        },
      ],
      [
        'greeting.prompt',
        {
          id: 'dotprompt',
          format: 'chat',
          messages: [
            { role: 'system', content: 'You greet people warmly and briefly.' },
            { role: 'user', content: 'Say hello to  in .' },
          ],
          lowerBound: true,
          maxOutput: 128,
          approximate: true,
          pricingProvider: 'google',
          model: 'gemini-2.5-flash',
        },
      ],
    ] as const) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const uri = fixtureUri(file);
      await server.open(uri, 'plaintext', text);
      const hints = await server.inlayHints(uri);
      // At the end of the front matter's closing "---" line.
      const closing = text.split('\n').indexOf('---', 1);
      assert.deepEqual(
        hints.map((hint) => ({ position: hint.position, label: labelOf(hint) })),
        [{ position: { line: closing, character: 3 }, label: expectedLabel({ ...expected, messages: [...expected.messages] }) }],
        file,
      );
      await server.close(uri);
    }
  });

  it('Markdown is estimated only on request (tollgate/analyzeFile) or when enabled', async () => {
    const text = readFileSync(join(FIXTURES, 'notes.md'), 'utf8');
    const uri = fixtureUri('notes.md');
    await server.open(uri, 'markdown', text);
    assert.deepEqual(await server.inlayHints(uri), []);
    const prompt = { id: 'md', format: 'chat', messages: [{ role: 'user', content: text.trim() }], pricingProvider: 'openai', model: 'gpt-4o-mini', defaultModel: true } as const;
    const result = (await server.connection.sendRequest('tollgate/analyzeFile', { uri })) as { prompts: Array<{ label: string; tokens: number; model: string }> };
    assert.deepEqual(
      result.prompts.map(({ label, tokens, model }) => ({ label, tokens, model })),
      [{ label: expectedLabel({ ...prompt, messages: [...prompt.messages] }), tokens: expectedTokens({ ...prompt, messages: [...prompt.messages] }), model: 'gpt-4o-mini' }],
    );
    // Opted in while open: now it has a hint too.
    assert.equal((await server.inlayHints(uri)).length, 1);
    await server.close(uri);
  });

  it('tollgate/analyzeFile reads a file that is not open from disk', async () => {
    const result = (await server.connection.sendRequest('tollgate/analyzeFile', { uri: fixtureUri('greeting.prompt') })) as { prompts: Array<{ model: string; lowerBound: boolean; inputUsd: number | null }> };
    assert.deepEqual(result.prompts.map(({ model, lowerBound }) => ({ model, lowerBound })), [{ model: 'googleai/gemini-2.5-flash', lowerBound: true }]);
    assert.equal(typeof result.prompts[0]?.inputUsd, 'number');
  });
});
