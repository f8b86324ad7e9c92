import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectedLabel, expectedTokens, markerIds, markerPosition, VISIBLE_COLUMNS } from './helpers/expected';
import { ROOT, labelOf, startTestServer, type TestServer } from './helpers/lsp-client';
import { REAL_CODE_PROMPTS } from './helpers/real-code-prompts';

/**
 * The hint server over stdio on code written the way applications write it (test/fixtures/
 * real-code): the model comes from an environment variable's literal fallback, a constant, a
 * default parameter or the call that sends a prompt variable; messages and system prompts are
 * built by helpers of the file or imported from a sibling module; calls set no max_tokens.
 * Each hint must name the right model (tollgate/analyzeFile), count what gpt-tokenizer counts for
 * the known text, price input plus the expected output, and sit where the user can see it.
 */
const DIR = join(ROOT, 'test', 'fixtures', 'real-code');

describe('hint server: prompts in real code (models from the environment, helpers, no max_tokens)', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  for (const [file, { languageId, prompts }] of Object.entries(REAL_CODE_PROMPTS)) {
    it(`${file}: each call's model, token count and in + out cost, on the line where it starts`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const uri = pathToFileURL(join(DIR, file)).href;
      await server.open(uri, languageId, text);
      assert.deepEqual(markerIds(text).sort(), prompts.map((prompt) => prompt.id).sort(), 'markers and expectations differ');

      const hints = (await server.inlayHints(uri)).map((hint) => ({ position: hint.position, label: labelOf(hint) }));
      const expected = prompts.map((prompt) => ({ position: markerPosition(text, prompt.id), label: expectedLabel(prompt) }));
      const byPosition = (a: { position: { line: number; character: number } }, b: { position: { line: number; character: number } }) =>
        a.position.line - b.position.line || a.position.character - b.position.character;
      assert.deepEqual(hints.sort(byPosition), expected.sort(byPosition), `server stderr: ${server.stderr()}`);
      for (const hint of hints) assert.ok(hint.position.character <= VISIBLE_COLUMNS, `hint in view: ${JSON.stringify(hint)}`);

      // The model each prompt is priced with, and its count, as the server reports them.
      const result = (await server.connection.sendRequest('tollgate/analyzeFile', { uri })) as { prompts: Array<{ range: { start: { line: number } }; model: string; tokens: number; lowerBound: boolean }> };
      const reported = result.prompts.map(({ range, model, tokens, lowerBound }) => ({ line: range.start.line, model, tokens, lowerBound }));
      const wanted = prompts.map((prompt) => ({ line: markerPosition(text, prompt.id).line, model: prompt.display, tokens: expectedTokens(prompt), lowerBound: prompt.lowerBound ?? false }));
      assert.deepEqual(reported.sort((a, b) => a.line - b.line), wanted.sort((a, b) => a.line - b.line));
      await server.close(uri);
    });
  }

  it('the hover says where the model came from: the code\'s fallback, or the default setting when the code does not say', async () => {
    const text = readFileSync(join(DIR, 'review.ts'), 'utf8');
    const uri = pathToFileURL(join(DIR, 'review.ts')).href;
    await server.open(uri, 'typescript', text);
    const hoverAt = async (id: string): Promise<string> => {
      const { line } = markerPosition(text, id);
      const character = (text.split('\n')[line] as string).indexOf('openai.chat') + 2;
      const hover = (await server.hover(uri, { line, character })) as { contents: { value: string } } | null;
      return hover?.contents.value ?? '';
    };
    assert.match(await hoverAt('env-nullish'), /model from the code's fallback \(the environment may name another\)/);
    assert.match(await hoverAt('unknown-model'), /model unknown in the code: priced with the `tollgate\.defaultModel` setting/);
    assert.match(await hoverAt('reasoning'), /Output: a typical reply of 300 tokens, plus 1,000 typical reasoning tokens \(the call sets no max\)\./);
    await server.close(uri);
  });

  it('without the helper module on disk, an imported helper is an unknown span: no guess', async () => {
    const uri = pathToFileURL(join(DIR, 'elsewhere', 'review.ts')).href;
    const text = readFileSync(join(DIR, 'review.ts'), 'utf8');
    await server.open(uri, 'typescript', text);
    const { line } = markerPosition(text, 'env-or-imported');
    const hints = await server.inlayHints(uri);
    // Nothing of the call's messages is known then, so it gets no hint at all.
    assert.equal(hints.filter((hint) => hint.position.line === line).length, 0);
    await server.close(uri);
  });
});
