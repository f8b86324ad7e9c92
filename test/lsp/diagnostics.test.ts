import assert from 'node:assert/strict';
import { modelPriceInfo } from '../../daemon/pricing/price';
import { expectedTokens } from './helpers/expected';
import { startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * A Warning when a prompt's known tokens exceed the model's context window (from the price
 * table); it goes away when the prompt shrinks, and never appears for prompts that fit.
 */
describe('hint server: context-window diagnostic', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  const window = modelPriceInfo({ pricingProvider: 'openai', model: 'gpt-3.5-turbo' })?.contextWindow;
  const big = 'The quick brown fox jumps over the lazy dog. '.repeat(2_000);
  const source = (body: string): string =>
    ['// a call with a long literal prompt', `export const ask = () => client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: ${JSON.stringify(body)} }] });`, ''].join('\n');

  it('warns on the call when the known tokens exceed the window, and clears when they fit', async () => {
    assert.ok(window, 'the price table knows gpt-3.5-turbo');
    const tokens = expectedTokens({ id: 'big', format: 'chat', messages: [{ role: 'user', content: big }], pricingProvider: 'openai', model: 'gpt-3.5-turbo', cl100k: true });
    assert.ok(tokens > window, `${tokens} > ${window}`);
    const uri = 'file:///diagnostics/big.ts';
    await server.open(uri, 'typescript', source(big));
    const [diagnostic, ...rest] = await server.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { severity: diagnostic?.severity, source: diagnostic?.source, code: diagnostic?.code, range: diagnostic?.range, message: diagnostic?.message },
      {
        severity: 2,
        source: 'tollgate',
        code: 'context-window',
        // The call, on its first line: from `client` to its closing parenthesis.
        range: { start: { line: 1, character: 25 }, end: { line: 1, character: (source(big).split('\n')[1]?.lastIndexOf(')') ?? 0) + 1 } },
        message: `This prompt is ${tokens.toLocaleString('en-US')} tokens; gpt-3.5-turbo's context window is ${window?.toLocaleString('en-US')} tokens.`,
      },
    );
    const text = source(big);
    const lines = text.split('\n');
    const start = (lines[0]?.length ?? 0) + 1 + (lines[1]?.indexOf('"') ?? 0) + 1;
    // Keep only the first sentence: far below the window.
    const end = start + big.length;
    await server.change(uri, 2, [
      {
        range: { start: { line: 1, character: start - (lines[0]?.length ?? 0) - 1 }, end: { line: 1, character: end - (lines[0]?.length ?? 0) - 1 } },
        text: 'Short.',
      },
    ]);
    await server.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    await server.close(uri);
  });

  it('no diagnostic for prompts that fit, nor with diagnostics turned off', async () => {
    const uri = 'file:///diagnostics/small.ts';
    await server.open(uri, 'typescript', source('Hello'));
    assert.equal((await server.inlayHints(uri)).length, 1);
    assert.deepEqual(server.diagnostics.get(uri) ?? [], []);
    await server.configure({ hints: { diagnostics: false } });
    const bigUri = 'file:///diagnostics/big-off.ts';
    await server.open(bigUri, 'typescript', source(big));
    assert.equal((await server.inlayHints(bigUri)).length, 1, 'analysed');
    assert.deepEqual(server.diagnostics.get(bigUri) ?? [], []);
    await server.configure({});
    await server.waitForDiagnostics(bigUri, (diagnostics) => diagnostics.length === 1);
    await server.close(uri);
    await server.close(bigUri);
  });
});
