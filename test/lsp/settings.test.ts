import assert from 'node:assert/strict';
import { expectedLabel, markerPosition, usd } from './helpers/expected';
import { FIXTURE_PROMPTS } from './helpers/fixture-prompts';
import { labelOf, startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * Settings from initializationOptions and workspace/didChangeConfiguration: each kind of hint
 * can be turned off, the default model prices prompts that name none, the currency format
 * applies to every amount, and prompt files can be turned off.
 */
describe('hint server: settings', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ settings: { hints: { hover: false } } });
  });
  after(async () => server.stop());

  const chatLiteral = FIXTURE_PROMPTS['openai.ts']?.prompts.find((prompt) => prompt.id === 'chat-literal');
  const reviewInstructions = FIXTURE_PROMPTS['openai.ts']?.prompts.find((prompt) => prompt.id === 'review-instructions');

  it('initializationOptions apply from the start (hover off here)', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const at = markerPosition(text, 'chat-literal');
    assert.equal(await server.hover(uri, { line: at.line - 3, character: 10 }), null);
    assert.ok((await server.inlayHints(uri)).length > 0);
    await server.close(uri);
  });

  it('inlay hints off and on again; the client is asked to refresh', async () => {
    const { uri } = await server.openFixture('openai.ts', 'typescript');
    const refreshes = server.refreshes.get('workspace/inlayHint/refresh') ?? 0;
    await server.configure({ hints: { inlayHints: false } });
    assert.deepEqual(await server.inlayHints(uri), []);
    assert.equal(server.refreshes.get('workspace/inlayHint/refresh'), refreshes + 1);
    await server.configure({});
    assert.ok((await server.inlayHints(uri)).length > 0);
    await server.close(uri);
  });

  it('the default model prices prompts that name none; the currency format applies', async () => {
    assert.ok(chatLiteral && reviewInstructions);
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    await server.configure({ defaultModel: 'gpt-4.1', currency: { code: 'EUR', significantDigits: 3, perUsd: 2 } });
    const hints = await server.inlayHints(uri);
    const at = (id: string) => hints.find((hint) => hint.position.line === markerPosition(text, id).line);
    const euros = (amount: number): string => usd(amount * 2, 3, '€');
    const instructions = { ...reviewInstructions, model: 'gpt-4.1' };
    assert.equal(labelOf(at('review-instructions') ?? { position: { line: 0, character: 0 }, label: '' }), expectedLabel(instructions, euros));
    // A call that names its model keeps it.
    assert.equal(labelOf(at('chat-literal') ?? { position: { line: 0, character: 0 }, label: '' }), expectedLabel(chatLiteral, euros));
    await server.configure({});
    await server.close(uri);
  });

  it('an invalid value falls back to its default instead of breaking the hints', async () => {
    const { uri } = await server.openFixture('openai.ts', 'typescript');
    await server.configure({ currency: { significantDigits: 'many', code: 'dollars' }, hints: { inlayHints: 'yes' } });
    const hints = await server.inlayHints(uri);
    assert.ok(hints.length > 0);
    assert.ok(hints.every((hint) => /\$/.test(labelOf(hint))));
    await server.configure({});
    await server.close(uri);
  });

  it('prompt files can be turned off', async () => {
    await server.configure({ promptFiles: { enabled: false } });
    const { uri } = await server.openFixture('support.prompty', 'prompty');
    assert.deepEqual(await server.inlayHints(uri), []);
    await server.configure({});
    assert.equal((await server.inlayHints(uri)).length, 1);
    await server.close(uri);
  });
});
