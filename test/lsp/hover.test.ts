import assert from 'node:assert/strict';
import type { RouteResponse } from '../../daemon/gateway/api/contracts';
import type { ConfigInput } from '../../daemon/gateway/config/schema';
import { modelPriceInfo, priceUsage, type PriceOverride } from '../../daemon/pricing/price';
import { startHarness, type Harness } from '../helpers/harness';
import { expectedInputUsd, expectedOutputUsd, expectedTokens, markerPosition, TYPICAL_REASONING_TOKENS, TYPICAL_REPLY_TOKENS, usd, type ExpectedPrompt } from './helpers/expected';
import { FIXTURE_PROMPTS } from './helpers/fixture-prompts';
import { labelOf, startTestServer, type TestServer } from './helpers/lsp-client';

/**
 * The hover: one markdown table with this model, two cheaper models from the price table (only
 * from providers the gateway has), the expected output (the call's cap, else a typical reply), where the real gateway would route the call (only when it answers), and how
 * certain the token count is. The gateway's own price overrides (config.json `pricing`) price the
 * hints too, so the editor shows what the gateway will bill.
 */

const MINI = { pricingProvider: 'openai', model: 'gpt-4o-mini' };
/** A model only this gateway knows: routed by a prefix, priced by an override. */
const FINETUNE_PRICING: Record<string, PriceOverride> = { 'my-finetune': { input: 3, output: 12 } };

function withAliasAndFinetune(base: ConfigInput): ConfigInput {
  return {
    ...base,
    providers: (base.providers ?? []).map((provider) => (provider.id === 'openai' ? { ...provider, modelPrefixes: [...(provider.modelPrefixes ?? []), 'my-'] } : provider)),
    models: { fast: { targets: ['openai/gpt-4o-mini'] } },
    pricing: FINETUNE_PRICING,
  };
}

function prompt(file: string, id: string): ExpectedPrompt {
  const found = FIXTURE_PROMPTS[file]?.prompts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`${file} ${id}`);
  return found;
}

/** The table's body rows as cells, without the leading and trailing pipes. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| |'))
    .map((line) => line.slice(2, -2).split(' | '));
}

function hoverText(hover: unknown): string {
  const contents = (hover as { contents: { kind: string; value: string } } | null)?.contents;
  assert.equal(contents?.kind, 'markdown');
  return contents.value;
}

/** The routing row the hover should show for the gateway's answer, priced for these token counts. */
function routedRow(route: RouteResponse, inputTokens: number, outputTokens: number, overrides?: Record<string, PriceOverride>): string[] {
  const target = route.targets[0];
  assert.ok(target, JSON.stringify(route));
  const query = { pricingProvider: target.provider, model: target.model, ...(overrides ? { overrides } : {}) };
  const input = priceUsage({ inputTokens, outputTokens: 0 }, query);
  const output = priceUsage({ inputTokens: 0, outputTokens }, query);
  assert.ok(input.known && output.known);
  const via = route.alias ? ` (alias \`${route.alias}\`)` : '';
  return ['gateway routes to', `\`${target.provider}/${target.model}\`${via}`, usd(input.costUsd), usd(output.costUsd), usd(input.costUsd + output.costUsd)];
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('hint server: hover table', function () {
  this.timeout(60_000);
  let h: Harness;
  let server: TestServer;
  const askGateway = (model: string): Promise<RouteResponse> => h.admin.get<RouteResponse>(`/tollgate/v1/route?${new URLSearchParams({ model })}`);

  before(async () => {
    h = await startHarness({ config: withAliasAndFinetune });
    server = await startTestServer({ gateway: { port: h.gateway.port, token: h.gateway.token } });
  });
  after(async () => {
    await server?.stop();
    await h?.close();
  });

  it('this model, two cheaper alternatives, worst-case output, gateway routing, token certainty', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const expected = prompt('openai.ts', 'chat-literal');
    const at = markerPosition(text, 'chat-literal');
    const table = rows(hoverText(await server.hover(uri, { line: at.line, character: 12 })));

    const input = expectedInputUsd(expected);
    const output = expectedOutputUsd(expected) as number;
    const tokens = expectedTokens(expected);
    assert.deepEqual(table[0], ['this model', '`gpt-4o`', `≈ ${tokens} tok · ${usd(input)}`, `≤120 tok · ${usd(output)}`, `${usd(input + output)} (${usd((input + output) * 1000)} / 1k calls)`]);

    const cheaper = table.filter((row) => row[0] === 'cheaper');
    assert.equal(cheaper.length, 2, JSON.stringify(table));
    for (const [, model, inputCell, outputCell, totalCell] of cheaper) {
      const name = (model as string).replace(/`/g, '');
      assert.ok(modelPriceInfo({ pricingProvider: 'openai', model: name }), `${name} is an OpenAI model (same family first)`);
      const alternativeInput = priceUsage({ inputTokens: tokens, outputTokens: 0 }, { pricingProvider: 'openai', model: name });
      const alternativeOutput = priceUsage({ inputTokens: 0, outputTokens: 120 }, { pricingProvider: 'openai', model: name });
      assert.ok(alternativeInput.known && alternativeOutput.known);
      assert.equal(inputCell, usd(alternativeInput.costUsd));
      assert.equal(outputCell, `120 tok · ${usd(alternativeOutput.costUsd)}`);
      assert.equal(totalCell, usd(alternativeInput.costUsd + alternativeOutput.costUsd));
      assert.ok(alternativeInput.costUsd + alternativeOutput.costUsd < 0.75 * (input + output), `${name} saves at least a quarter`);
    }

    // The gateway sends gpt-4o straight to OpenAI (its prefix), under no alias.
    const route = await askGateway('gpt-4o');
    assert.deepEqual(route, { model: 'gpt-4o', alias: null, targets: [{ provider: 'openai', model: 'gpt-4o' }], error: null });
    assert.deepEqual(table.find((row) => row[0] === 'gateway routes to'), routedRow(route, tokens, 120));
    assert.equal(table.at(-1)?.[0], 'token count');
    assert.equal(table.at(-1)?.[1], 'exact (o200k_base)');
    await server.close(uri);
  });

  it('a call naming a gateway alias shows where the alias sends it, priced there', async () => {
    const uri = 'file:///hover/alias.ts';
    const question = 'Name three rivers in Africa and the countries they cross.';
    await server.open(uri, 'typescript', `client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: '${question}' }], max_tokens: 50 });\n`);
    const table = rows(hoverText(await server.hover(uri, { line: 0, character: 10 })));
    const tokens = expectedTokens({ id: 'alias', format: 'chat', messages: [{ role: 'user', content: question }], ...MINI });
    // The price table has no model called "fast"; the gateway knows it is gpt-4o-mini.
    assert.deepEqual(table[0], ['this model', '`fast`', `≈ ${tokens} tok · $?`, '≤50 tok · $?', '$?']);
    const route = await askGateway('fast');
    assert.deepEqual(route, { model: 'fast', alias: 'fast', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], error: null });
    assert.deepEqual(table.find((row) => row[0] === 'gateway routes to'), routedRow(route, tokens, 50));
    assert.equal(table.find((row) => row[0] === 'gateway routes to')?.[1], '`openai/gpt-4o-mini` (alias `fast`)');
    await server.close(uri);
  });

  it('cheaper rows come only from providers the gateway has, and a reasoning model carries its reasoning tokens', async () => {
    const uri = 'file:///hover/typical.ts';
    const question = 'Explain the difference between a mutex and a semaphore to a new engineer.';
    await server.open(uri, 'typescript', `client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: '${question}' }] });\n`);
    const markdown = hoverText(await server.hover(uri, { line: 0, character: 10 }));
    const cheaper = rows(markdown).filter((row) => row[0]?.startsWith('cheaper'));
    assert.ok(cheaper.length > 0, markdown);
    // The gateway here has OpenAI and Anthropic only: no Gemini row, and no row marked unchecked.
    for (const [label, model] of cheaper) {
      assert.equal(label, 'cheaper', markdown);
      assert.match(model ?? '', /^`(gpt-|o\d|claude-)/, markdown);
    }
    // gpt-4.1's cheaper siblings include gpt-5-mini / gpt-5-nano, which reason before they answer.
    const reasoning = cheaper.filter(([, model]) => /gpt-5/.test(model ?? ''));
    for (const [, model, , outputCell] of reasoning) {
      const name = (model as string).replace(/`/g, '');
      const tokens = TYPICAL_REPLY_TOKENS + TYPICAL_REASONING_TOKENS;
      const price = priceUsage({ inputTokens: 0, outputTokens: tokens }, { pricingProvider: 'openai', model: name });
      assert.ok(price.known);
      assert.equal(outputCell, `${tokens.toLocaleString('en-US')} tok · ${usd(price.costUsd)}`);
    }
    assert.ok(reasoning.length > 0, `a gpt-5 alternative is offered: ${markdown}`);

    // Without the gateway, nothing says which providers the user has: every row says so.
    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: null });
    const unchecked = rows(hoverText(await server.hover(uri, { line: 0, character: 10 }))).filter((row) => row[0]?.startsWith('cheaper'));
    assert.ok(unchecked.length > 0 && unchecked.every((row) => row[0] === 'cheaper (provider not checked)'), JSON.stringify(unchecked));
    await server.connection.sendNotification('tollgate/gatewayChanged', { gateway: { port: h.gateway.port, token: h.gateway.token } });
    await server.close(uri);
  });

  it("a model the gateway cannot route shows the gateway's reason", async () => {
    const uri = 'file:///hover/unroutable.ts';
    await server.open(uri, 'typescript', "client.chat.completions.create({ model: 'mystery/model-x', messages: [{ role: 'user', content: 'Hello there.' }] });\n");
    const table = rows(hoverText(await server.hover(uri, { line: 0, character: 10 })));
    const route = await askGateway('mystery/model-x');
    assert.ok(route.error?.startsWith('Unknown provider "mystery"'), JSON.stringify(route));
    assert.deepEqual(table.find((row) => row[0] === 'gateway routing')?.slice(0, 2), ['gateway routing', route.error]);
    assert.equal(table.find((row) => row[0] === 'gateway routes to'), undefined);
    await server.close(uri);
  });

  it('a template says its count is a lower bound and names the unknown spans; without a max, a typical reply is priced and said to be', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const at = markerPosition(text, 'chat-template');
    const table = rows(hoverText(await server.hover(uri, { line: at.line, character: 12 })));
    assert.match(table[0]?.[2] ?? '', /^≥ \d+ tok · /);
    assert.equal(table.at(-1)?.[1], 'exact (o200k_base); lower bound, unknown: `ticket`');

    const stream = markerPosition(text, 'chat-stream');
    const streamHover = hoverText(await server.hover(uri, { line: stream.line, character: 40 }));
    const typical = priceUsage({ inputTokens: 0, outputTokens: TYPICAL_REPLY_TOKENS }, { pricingProvider: 'openai', model: 'gpt-4.1-mini' });
    assert.ok(typical.known);
    assert.equal(rows(streamHover)[0]?.[3], `~${TYPICAL_REPLY_TOKENS} tok · ${usd(typical.costUsd)}`);
    assert.match(streamHover, new RegExp(`Output: a typical reply of ${TYPICAL_REPLY_TOKENS} tokens \\(the call sets no max\\)\\.`));
    await server.close(uri);
  });

  it('an approximate count (Claude) is labelled ±10 %', async () => {
    const { uri, text } = await server.openFixture('anthropic.ts', 'typescript');
    const at = markerPosition(text, 'anthropic-create');
    const table = rows(hoverText(await server.hover(uri, { line: at.line, character: 12 })));
    assert.equal(table.at(-1)?.[1], '≈ ±10 % (no public tokenizer for this model; counted with o200k_base)');
    assert.ok(table.filter((row) => row[0] === 'cheaper').every((row) => /claude/.test(row[1] ?? '')), 'Anthropic alternatives first');
    assert.equal(table.find((row) => row[0] === 'gateway routes to')?.[1], '`anthropic/claude-sonnet-4-5`');
    await server.close(uri);
  });

  it('no routing row when the gateway does not answer; no hover outside prompts', async () => {
    const { uri, text } = await server.openFixture('openai.ts', 'typescript');
    const at = markerPosition(text, 'chat-literal');
    const live = { gateway: { port: h.gateway.port, token: h.gateway.token } };
    for (const gateway of [null, { port: h.gateway.port, token: 'not-the-daemon-token' }]) {
      await server.connection.sendNotification('tollgate/gatewayChanged', { gateway });
      const table = rows(hoverText(await server.hover(uri, { line: at.line, character: 12 })));
      assert.equal(table.find((row) => row[0] === 'gateway routes to'), undefined, JSON.stringify(gateway));
      assert.equal(table.length, 4, 'this model, two cheaper, token count');
    }
    assert.equal(await server.hover(uri, { line: 2, character: 5 }), null, 'the import line is not a prompt');
    await server.connection.sendNotification('tollgate/gatewayChanged', live);
    const table = rows(hoverText(await server.hover(uri, { line: at.line, character: 12 })));
    assert.ok(table.find((row) => row[0] === 'gateway routes to'), 'back with the gateway');
    await server.close(uri);
  });

  // Last: it changes the gateway's config.
  it("the gateway's price overrides price the hints; a change reaches them after the next logged call", async () => {
    const uri = 'file:///hover/finetune.ts';
    const content = Array.from({ length: 40 }, (_, index) => `Step ${index + 1}: check the invoice totals against the ledger.`).join(' ');
    await server.open(uri, 'typescript', `client.chat.completions.create({ model: 'my-finetune', messages: [{ role: 'user', content: '${content}' }], max_tokens: 2000 });\n`);
    // Not an OpenAI model name: counted with o200k_base as an approximation.
    const tokens = expectedTokens({ id: 'finetune', format: 'chat', messages: [{ role: 'user', content }], ...MINI });
    const expectedHint = (pricing: Record<string, PriceOverride>): string => {
      const query = { pricingProvider: 'openai', model: 'my-finetune', overrides: pricing };
      const input = priceUsage({ inputTokens: tokens, outputTokens: 0 }, query);
      const output = priceUsage({ inputTokens: 0, outputTokens: 2000 }, query);
      assert.ok(input.known && output.known && input.source === 'override');
      assert.ok(Math.abs(input.costUsd - (tokens * (pricing['my-finetune']?.input ?? NaN)) / 1e6) < 1e-12);
      return `≈ ${tokens.toLocaleString('en-US')} in + ≤2,000 out ±10 % · ${usd(input.costUsd + output.costUsd)}`;
    };
    const hint = async (): Promise<string | undefined> => (await server.inlayHints(uri)).map(labelOf)[0];
    const want = expectedHint(FINETUNE_PRICING);
    assert.equal(await waitFor(hint, (label) => label === want), want);
    assert.match(want, /· \$0\.02[5-7]$/, 'tokens × $3/M in plus 2,000 × $12/M out');

    const table = rows(hoverText(await server.hover(uri, { line: 0, character: 10 })));
    assert.equal(table[0]?.[1], '`my-finetune`');
    assert.deepEqual(table.find((row) => row[0] === 'gateway routes to'), routedRow(await askGateway('my-finetune'), tokens, 2000, FINETUNE_PRICING));

    // The user edits the gateway's config; the server checks it again once the gateway logs a call.
    const repriced = { 'my-finetune': { input: 6, output: 24 } };
    const { config } = await h.admin.get<{ config: ConfigInput }>('/tollgate/v1/config');
    await h.admin.put('/tollgate/v1/config', { ...config, pricing: repriced });
    await server.connection.sendNotification('tollgate/requestLogged', { count: 1 });
    const wantRepriced = expectedHint(repriced);
    assert.equal(await waitFor(hint, (label) => label === wantRepriced), wantRepriced);
    await server.close(uri);
  });
});
