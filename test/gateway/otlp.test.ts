import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'mocha';
import { sleep, startHarness, type Harness } from '../helpers/harness';

interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code: number };
}

/** A collector on loopback that keeps what it is sent: what an OpenTelemetry backend would get. */
describe('OpenTelemetry export (OTLP/HTTP JSON, GenAI semantic conventions)', () => {
  let h: Harness;
  let collector: Server;
  const received: { headers: Record<string, unknown>; body: { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] } }[] = [];
  before(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const port = (collector.address() as { port: number }).port;
    h = await startHarness({ config: (base) => ({ ...base, telemetry: { otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`, headers: { 'x-collector-key': 'k1' } } }) });
  });
  after(async () => {
    await h.close();
    collector.close();
  });

  it('sends each call as a client span with its model, usage, status and cost, in batches off the request path', async () => {
    await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'span me' }] });
    h.fake.behave(() => ({ kind: 'status', status: 400, message: 'refused for the span' }));
    await assert.rejects(h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }));
    h.fake.behave(undefined);
    const rows = await h.waitForRequests(2);
    for (let i = 0; i < 60 && received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans))).length < 2; i++) await sleep(50);
    const spans = received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));
    assert.equal(spans.length, 2);
    assert.equal(received[0]!.headers['x-collector-key'], 'k1');
    assert.deepEqual(received[0]!.body.resourceSpans[0]!.resource.attributes, [{ key: 'service.name', value: { stringValue: 'tollgate' } }]);
    const attrs = (span: OtlpSpan) => Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
    const chat = spans.find((s) => attrs(s)['gen_ai.provider.name'] === 'openai')!;
    const chatRow = rows.find((r) => r.provider === 'openai')!;
    assert.equal(chat.name, 'chat gpt-4o-mini');
    assert.equal(chat.kind, 3);
    assert.match(chat.traceId, /^[0-9a-f]{32}$/);
    assert.equal(BigInt(chat.startTimeUnixNano), BigInt(chatRow.ts) * 1_000_000n);
    assert.ok(BigInt(chat.endTimeUnixNano) > BigInt(chat.startTimeUnixNano));
    const a = attrs(chat);
    assert.deepEqual(
      [a['gen_ai.operation.name'], a['gen_ai.request.model'], a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'], a['http.response.status_code'], a['tollgate.request_id']],
      ['chat', 'gpt-4o-mini', String(chatRow.promptTokens), String(chatRow.completionTokens), '200', chatRow.id],
    );
    assert.equal(a['tollgate.cost_usd'], chatRow.costUsd);
    assert.equal(chat.status.code, 1);
    const refused = spans.find((s) => attrs(s)['gen_ai.provider.name'] === 'anthropic')!;
    assert.equal(refused.status.code, 2);
    assert.equal(attrs(refused)['error.type'], 'caller_rejected_by_provider');
  });
});
