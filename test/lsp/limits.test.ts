import assert from 'node:assert/strict';
import { MAX_DOCUMENT_CHARS, MAX_PROMPT_CHARS, MAX_SITES_PER_FILE } from '../../daemon/lsp/limits';
import { expectedLabel } from './helpers/expected';
import { labelOf, startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * Pathological input: a giant literal is counted up to the cap and shown as a lower bound; a
 * file with thousands of prompts gets a bounded number of hints; a document over the size cap
 * gets none; and none of it stops the server from answering for other documents.
 */
describe('hint server: guards against pathological input', function () {
  this.timeout(120_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('a literal longer than the cap is counted up to the cap, as a lower bound', async () => {
    const body = 'lorem ipsum dolor sit amet '.repeat(Math.ceil((MAX_PROMPT_CHARS * 1.5) / 27));
    const uri = 'file:///limits/giant-literal.ts';
    await server.open(uri, 'typescript', `const SYSTEM_PROMPT = '${body}';\n`);
    const [hint, ...rest] = await server.inlayHints(uri);
    assert.equal(rest.length, 0);
    const known = body.slice(0, MAX_PROMPT_CHARS);
    assert.equal(labelOf(hint ?? { position: { line: 0, character: 0 }, label: '' }), expectedLabel({ id: 'giant', format: 'text', messages: [{ role: '', content: known }], lowerBound: true, pricingProvider: 'openai', model: 'gpt-4o-mini', defaultModel: true }));
    await server.close(uri);
  });

  it(`at most ${MAX_SITES_PER_FILE} prompts per file get a hint`, async () => {
    const lines = Array.from({ length: MAX_SITES_PER_FILE + 150 }, (_, index) => `export const prompt${index} = 'Prompt number ${index}.';`);
    const uri = 'file:///limits/many.ts';
    await server.open(uri, 'typescript', lines.join('\n'));
    const hints = await server.inlayHints(uri);
    assert.equal(hints.length, MAX_SITES_PER_FILE);
    assert.equal(hints.at(-1)?.position.line, MAX_SITES_PER_FILE - 1, 'the first ones, in document order');
    await server.close(uri);
  });

  it('a document over the size cap gets no hints, and other documents are still served', async () => {
    const huge = `const prompt = 'x';\n${'// filler line to make the file too large to analyse\n'.repeat(Math.ceil(MAX_DOCUMENT_CHARS / 50))}`;
    assert.ok(huge.length > MAX_DOCUMENT_CHARS);
    const hugeUri = 'file:///limits/huge.ts';
    const smallUri = 'file:///limits/small.ts';
    await server.open(hugeUri, 'typescript', huge);
    await server.open(smallUri, 'typescript', "const SYSTEM_PROMPT = 'Be brief.';\n");
    assert.equal((await server.inlayHints(smallUri)).length, 1);
    assert.deepEqual(await server.inlayHints(hugeUri), []);
    await server.close(hugeUri);
    await server.close(smallUri);
  });

  it('a large file is parsed in slices: a small document is answered while it is analysed', async () => {
    // ~27,000 lines (1.5 MB): its parse takes several slices; the small document must not wait for all of them.
    const block = (index: number) => `export async function ask${index}(q: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: \`Question ${index}: \${q}\` }] });\n}\n`;
    const big = Array.from({ length: 9_000 }, (_, index) => block(index)).join('');
    assert.ok(big.length < MAX_DOCUMENT_CHARS);
    const bigUri = 'file:///limits/big.ts';
    const smallUri = 'file:///limits/small-while-big.ts';
    await server.open(bigUri, 'typescript', big);
    await server.open(smallUri, 'typescript', "const SYSTEM_PROMPT = 'Be brief.';\n");
    let bigDone = false;
    const bigHints = server.inlayHints(bigUri).then((hints) => {
      bigDone = true;
      return hints;
    });
    const small = await server.inlayHints(smallUri);
    assert.equal(small.length, 1);
    assert.equal(bigDone, false, 'the small document was answered before the large one was finished');
    assert.equal((await bigHints).length, MAX_SITES_PER_FILE);
    await server.close(bigUri);
    await server.close(smallUri);
  });
});
