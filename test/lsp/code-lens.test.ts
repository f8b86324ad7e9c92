import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { CallSitesQuery, CallSitesResponse, RequestLogEntry } from '../../daemon/gateway/api/contracts';
import { ANCHOR_CHARS, hashText, messageHashes } from '../../daemon/shared/message-hash';
import type { Scenario } from '../fixtures/fake-upstream';
import { startHarness, type Harness } from '../helpers/harness';
import { expectedLabel, markerPosition } from './helpers/expected';
import { FIXTURE_PROMPTS } from './helpers/fixture-prompts';
import { labelOf, startTestServer, type TestServer } from './helpers/lsp-client';
import { callThroughGateway, expectedLensTitle, ok } from './helpers/measured';

/**
 * CodeLens with measured figures, end to end: the fixtures' calls are made for real through the
 * real gateway (official SDKs, fake upstream), and the hint server, connected to that gateway,
 * must show each call site's calls, errors, p50 latency and spend as the gateway logged them. A
 * site links by the hashes of its literal messages, by the fixed text before a template hole,
 * or by a literal x-tollgate-tag; a site that never ran, or that nothing links, has no lens.
 */

const SYSTEM_PROMPT = 'You are a meticulous assistant. Answer in two sentences at most.';
const CLASSIFY = 'Classify this ticket as bug, question or feature request, then explain why: ';
const PY_SYSTEM_PROMPT = 'You are a senior Python reviewer.\nBe direct, and quote the line you comment on.';
const PY_REVIEW = 'Review this code and list every bug you can find in it:\n';
const ERROR_LOG = 1;

/** Where the call that ends at a marker starts: the closest line above with `client.` / `anthropic.`. */
function callStart(text: string, id: string): { line: number; character: number } {
  const lines = text.split('\n');
  for (let line = markerPosition(text, id).line; line >= 0; line--) {
    const character = (lines[line] as string).search(/\b(client|anthropic)\./);
    if (character >= 0) return { line, character };
  }
  throw new Error(`no call for ${id}`);
}

/** The chat messages of a fully literal fixture call, as the SDK sends them. */
function literalMessages(file: string, id: string): Array<{ role: 'system' | 'user'; content: string }> {
  const prompt = FIXTURE_PROMPTS[file]?.prompts.find((candidate) => candidate.id === id);
  if (!prompt || prompt.lowerBound) throw new Error(`${file} ${id} is not a literal prompt`);
  return prompt.messages.map(({ role, content }) => ({ role: role === 'system' ? 'system' : 'user', content }));
}

function shown(lenses: CodeLens[]): Array<{ position: { line: number; character: number }; title: string | undefined }> {
  return lenses.map((lens) => ({ position: lens.range.start, title: lens.command?.title }));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitFor(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('hint server: CodeLens with figures from the gateway', function () {
  this.timeout(60_000);
  let h: Harness;
  let server: TestServer;
  /** What the gateway logged per call site over all the tests: a lens adds up all of today's calls. */
  const ran = new Map<string, RequestLogEntry[]>();

  async function run(site: string, scenarios: Scenario[], call: () => Promise<unknown>): Promise<RequestLogEntry[]> {
    const rows = await callThroughGateway(h, scenarios, call);
    ran.set(site, [...(ran.get(site) ?? []), ...rows]);
    return rows;
  }
  const lensFor = (site: string): string => expectedLensTitle(ran.get(site) ?? []);
  /** The gateway's own answer for sites, asked directly (no tag: by hashes alone). */
  async function gatewayCalls(...hashLists: string[][]): Promise<number[]> {
    const sites = hashLists.map((hashes, index) => ({ id: String(index), hashes }));
    const response = await h.admin.post<CallSitesResponse>('/tollgate/v1/callsites', { sites } satisfies CallSitesQuery);
    return response.sites.map((site) => site.calls);
  }
  const errorLogs = (): string[] => server.logs.filter((log) => log.type === ERROR_LOG).map((log) => log.message);

  // openai.ts, as the fixture's calls send them.
  const literalChat = () => h.openai().chat.completions.create({ model: 'gpt-4o', messages: literalMessages('openai.ts', 'chat-literal'), max_tokens: 120 });
  const templateChat = (ticket: string) => () =>
    h.openai().chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: `${CLASSIFY}${ticket}` }], max_completion_tokens: 400 },
      { headers: { 'x-tollgate-tag': 'classify-ticket' } },
    );
  const imageChat = () =>
    h.openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe this picture in one line.' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
    });
  const respond = () => h.openai().responses.create({ model: 'gpt-4o-mini', instructions: 'Reply like a pirate.', input: 'How do I reverse a list in Python?', max_output_tokens: 200 });
  const embed = () => h.openai().embeddings.create({ model: 'text-embedding-3-small', input: ['first document', 'second document'] });
  const OPENAI_LINKABLE = ['chat-literal', 'chat-template', 'chat-stream', 'chat-image', 'responses'];

  before(async () => {
    h = await startHarness();
    server = await startTestServer({ gateway: { port: h.gateway.port, token: h.gateway.token } });
  });
  after(async () => {
    await server?.stop();
    await h?.close();
  });

  it('links literal chats by message hashes, templates by their fixed head, tagged calls by tag; shows only sites that ran', async () => {
    // The literal chat allows 120 output tokens (max_tokens), so the fake reports no more than that.
    const literalRows = await run('chat-literal', [ok(100, 1_200, 120), ok(1_050, 1_200, 120), ok(1_100, 1_200, 120)], literalChat);
    assert.ok(literalRows.every((row) => row.promptTokens === 1_200 && row.completionTokens === 120 && row.usageSource === 'provider' && (row.costUsd ?? 0) > 0), JSON.stringify(literalRows));
    await run('chat-template', [ok(450), { kind: 'status', status: 400, message: 'ticket too long', latencyMs: 250 }], templateChat('Export to CSV does nothing on Safari.'));
    await run('chat-image', [ok(120, 900, 30)], imageChat);
    await run('responses', [ok(300, 60, 150)], respond);
    // Runs, but nothing links it: the gateway indexes chat texts only, and this call has no tag.
    await run('embeddings', [ok(80, 8, 0)], embed);
    // chat-stream and `messages: history` never run.

    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const lenses = await server.codeLenses(uri);
    assert.deepEqual(shown(lenses), [
      { position: callStart(text, 'chat-literal'), title: lensFor('chat-literal') },
      { position: callStart(text, 'chat-template'), title: lensFor('chat-template') },
      { position: callStart(text, 'chat-image'), title: lensFor('chat-image') },
      { position: callStart(text, 'responses'), title: lensFor('responses') },
    ]);
    // The oracle itself reads as a user would expect.
    assert.match(lensFor('chat-literal'), /^3 calls · \$0\.\d+\/call · p50 1\.\d s · \$0\.\d+ today$/);
    assert.match(lensFor('chat-template'), /^2 calls · 1 error · \$0\.\d+\/call · p50 \d{3} ms · \$0\.\d+ today$/);

    // A call without an output cap is estimated with the replies the gateway measured, not a typical reply.
    const imageRows = ran.get('chat-image') ?? [];
    const measuredOutput = imageRows.reduce((sum, row) => sum + (row.completionTokens ?? 0), 0) / imageRows.length;
    const image = FIXTURE_PROMPTS['openai.ts']?.prompts.find((prompt) => prompt.id === 'chat-image');
    assert.ok(image && measuredOutput === 30);
    const imageHint = (await server.inlayHints(uri)).find((hint) => hint.position.line === markerPosition(text, 'chat-image').line);
    assert.equal(labelOf(imageHint ?? { position: { line: 0, character: 0 }, label: '' }), expectedLabel({ ...image, measuredOutput }));

    // What links each lens, as the clicked command receives it; the gateway finds the same calls by it.
    const literalHashes = [messageHashes('You are a helpful assistant.').full, messageHashes('Write a haiku about the sea.\nMake it calm.').full];
    // The system prompt is a constant (resolved: fully literal); the user message is a template whose fixed head is long enough.
    const templateHashes = [messageHashes(SYSTEM_PROMPT).full, hashText(CLASSIFY.slice(0, ANCHOR_CHARS))];
    const imageHashes = [messageHashes('Describe this picture in one line.').full];
    assert.ok(CLASSIFY.length >= ANCHOR_CHARS);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.arguments?.[0]),
      [
        { uri, line: callStart(text, 'chat-literal').line, hashes: literalHashes, tag: null },
        { uri, line: callStart(text, 'chat-template').line, hashes: templateHashes, tag: 'classify-ticket' },
        { uri, line: callStart(text, 'chat-image').line, hashes: imageHashes, tag: null },
        { uri, line: callStart(text, 'responses').line, hashes: [messageHashes('Reply like a pirate.').full, messageHashes('How do I reverse a list in Python?').full], tag: null },
      ],
    );
    assert.equal(lenses[0]?.command?.command, 'tollgate.showCallSite');
    // Non-text blocks are not part of the hashed text; embedding inputs are not indexed at all.
    assert.deepEqual(await gatewayCalls(literalHashes, templateHashes, imageHashes, [messageHashes('first document').full]), [3, 2, 1, 0]);
    await server.close(uri);
  });

  it('links what the gateway indexes: an empty message is left out; an embeddings call links by its tag', async () => {
    await run('inline-go-on', [ok(150, 20, 10)], () =>
      h.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'assistant', content: '' }, { role: 'user', content: 'Go on.' }] }),
    );
    await run('inline-embed', [ok(90, 3, 0)], () =>
      h.openai().embeddings.create({ model: 'text-embedding-3-small', input: 'a document' }, { headers: { 'x-tollgate-tag': 'embed-docs' } }),
    );
    const uri = 'file:///lens/inline.ts';
    await server.open(
      uri,
      'typescript',
      [
        "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'assistant', content: '' }, { role: 'user', content: 'Go on.' }] });",
        "client.embeddings.create({ model: 'text-embedding-3-small', input: 'a document' }, { headers: { 'x-tollgate-tag': 'embed-docs' } });",
        '',
      ].join('\n'),
    );
    const lenses = await server.codeLenses(uri);
    assert.deepEqual(shown(lenses), [
      { position: { line: 0, character: 0 }, title: lensFor('inline-go-on') },
      { position: { line: 1, character: 0 }, title: lensFor('inline-embed') },
    ]);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.arguments?.[0]),
      [
        { uri, line: 0, hashes: [messageHashes('Go on.').full], tag: null },
        { uri, line: 1, hashes: [], tag: 'embed-docs' },
      ],
    );
    await server.close(uri);
  });

  it('Python: keyword arguments, f-string templates and extra_headers link the same way', async () => {
    const literal = 'Say "hello" in Japanese.\tThanks!';
    await run('py-chat', [ok(1_100, 900, 300), ok(1_050, 900, 300)], () =>
      h.openai().chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'system', content: PY_SYSTEM_PROMPT }, { role: 'user', content: `${PY_REVIEW}def add(a, b):\n    return a - b\n` }], max_tokens: 300 },
        { headers: { 'x-tollgate-tag': 'py-review' } },
      ),
    );
    await run('py-literal', [ok(400, 30, 12)], () => h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: literal }] }));
    await run('py-anthropic', [ok(350, 40, 200)], () =>
      h.anthropic().messages.create({
        model: 'claude-3-5-haiku-latest',
        system: 'You answer questions about astronomy.',
        messages: [{ role: 'user', content: 'How far away is the Moon?' }],
        max_tokens: 512,
      }),
    );

    const { uri, text } = await server.openFixture('openai_app.py', 'python');
    const lenses = await server.codeLenses(uri);
    assert.deepEqual(shown(lenses), [
      { position: callStart(text, 'py-chat'), title: lensFor('py-chat') },
      { position: callStart(text, 'py-literal'), title: lensFor('py-literal') },
      { position: callStart(text, 'py-anthropic'), title: lensFor('py-anthropic') },
    ]);
    assert.match(lensFor('py-chat'), /^2 calls · \$0\.\d+\/call · p50 \d\.\d s · \$0\.\d+ today$/);
    const reviewHashes = [messageHashes(PY_SYSTEM_PROMPT).full, hashText(PY_REVIEW.slice(0, ANCHOR_CHARS))];
    // The literal call is linked by the hash of its decoded text (escapes resolved).
    const literalHashes = [messageHashes(literal).full];
    assert.deepEqual(
      lenses.map((lens) => lens.command?.arguments?.[0]),
      [
        { uri, line: callStart(text, 'py-chat').line, hashes: reviewHashes, tag: 'py-review' },
        { uri, line: callStart(text, 'py-literal').line, hashes: literalHashes, tag: null },
        { uri, line: callStart(text, 'py-anthropic').line, hashes: [messageHashes('You answer questions about astronomy.').full], tag: null },
      ],
    );
    assert.deepEqual(await gatewayCalls(reviewHashes, literalHashes), [2, 1], 'the gateway finds the same calls by text alone');
    await server.close(uri);
  });

  it('keeps figures until tollgate/requestLogged, which refreshes the lenses once per burst with the new calls', async () => {
    const { uri, text } = await server.openFixture('anthropic.ts', 'typescript');
    assert.deepEqual(await server.codeLenses(uri), [], 'nothing ran yet');
    const anthropic = h.anthropic();
    await run('anthropic-create', [ok(300, 300, 700), ok(250, 300, 500)], () =>
      anthropic.messages.create({ model: 'claude-sonnet-4-5', system: 'You are a careful reviewer of legal contracts.', messages: [{ role: 'user', content: 'List the three riskiest clauses.' }], max_tokens: 1024 }),
    );
    // The streamed call's only fixed text is a short head before a hole: it runs, but nothing links it.
    await run('anthropic-stream', [ok(200, 30, 40)], () =>
      anthropic.messages
        .stream({ model: 'claude-3-5-haiku-latest', max_tokens: 256, messages: [{ role: 'user', content: [{ type: 'text', text: 'Translate to German:' }, { type: 'text', text: 'Good morning' }] }] })
        .finalMessage(),
    );
    assert.deepEqual(await server.codeLenses(uri), [], 'figures are kept (no request) until the gateway reports new calls');

    const refreshes = server.refreshes.get('workspace/codeLens/refresh') ?? 0;
    for (let index = 0; index < 5; index++) await server.connection.sendNotification('tollgate/requestLogged', { count: 1 });
    await waitFor(() => (server.refreshes.get('workspace/codeLens/refresh') ?? 0) > refreshes, 'a CodeLens refresh');
    // Every notification arrived before the first refresh: a second one (no debounce) would follow it at once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(server.refreshes.get('workspace/codeLens/refresh'), refreshes + 1, 'one refresh for a burst of notifications');
    assert.deepEqual(shown(await server.codeLenses(uri)), [{ position: callStart(text, 'anthropic-create'), title: lensFor('anthropic-create') }]);
    await server.close(uri);
  });

  it('no lenses while the gateway is unreachable, refuses the token or is unknown, and no error; the hints keep working', async () => {
    await run('chat-literal', [ok(250)], literalChat);
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const live = { gateway: { port: h.gateway.port, token: h.gateway.token } };
    const expected = OPENAI_LINKABLE.filter((site) => ran.has(site)).map((site) => ({ position: callStart(text, site), title: lensFor(site) }));
    await server.connection.sendNotification('tollgate/gatewayChanged', live);
    assert.deepEqual(shown(await server.codeLenses(uri)), expected);

    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: { port: await freePort(), token: h.gateway.token } });
    assert.deepEqual(await server.codeLenses(uri), [], 'nothing listens');
    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: { port: h.gateway.port, token: 'not-the-daemon-token' } });
    assert.deepEqual(await server.codeLenses(uri), [], 'the gateway answers 401');
    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: null });
    assert.deepEqual(await server.codeLenses(uri), [], 'no gateway');
    assert.ok((await server.inlayHints(uri)).length > 5);

    await server.connection.sendNotification('tollgate/gatewayChanged', live);
    assert.deepEqual(shown(await server.codeLenses(uri)), expected, 'back on the live gateway');
    assert.deepEqual(errorLogs(), []);
    await server.close(uri);
  });

  // Last: it stops the harness's gateway.
  it('when the gateway stops, lenses go away without an error', async () => {
    const { uri } = await server.openFixture('openai.ts', 'typescript');
    assert.ok((await server.codeLenses(uri)).length > 0);
    await h.gateway.close(1_000);
    // A document whose figures were never fetched asks, and shows none.
    const other = 'file:///lens/after-stop.ts';
    await server.open(other, 'typescript', "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Go on.' }] });\n");
    assert.deepEqual(await server.codeLenses(other), []);
    // The extension re-announces the gateway (e.g. on reconnect): cached figures are dropped.
    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: { port: h.gateway.port, token: h.gateway.token } });
    assert.deepEqual(await server.codeLenses(uri), []);
    assert.ok((await server.inlayHints(uri)).length > 5);
    assert.deepEqual(errorLogs(), []);
    await server.close(other);
    await server.close(uri);
  });
});
