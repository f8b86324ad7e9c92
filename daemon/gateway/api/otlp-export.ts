import { randomBytes } from 'node:crypto';
import type { ConfigManager } from '../config/manager';
import { throttledWarning } from '../http/throttled-warning';
import type { LogRow } from '../store/log-row';

/** Spans held for the next export; beyond this, new ones are dropped (the log keeps every call). */
const MAX_QUEUED = 2_000;
const EXPORT_EVERY_MS = 1_000;
const BATCH = 256;

type Attribute = { key: string; value: { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } };

/**
 * Each logged call as an OpenTelemetry span, sent over OTLP/HTTP (JSON) to `telemetry.otlpEndpoint`
 * in batches, off the request path. Attributes follow the GenAI semantic conventions
 * (gen_ai.operation.name, gen_ai.provider.name, gen_ai.request.model, gen_ai.response.model,
 * gen_ai.usage.input_tokens/output_tokens, error.type), plus Tollgate's own (cost, cache, route).
 * An endpoint that fails is said once a minute; its spans are dropped, never retried forever.
 */
export class OtlpExporter {
  private queue: LogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly warn: (message: string) => void;

  constructor(
    private readonly config: ConfigManager,
    private readonly providerType: (providerId: string) => string | undefined,
    warn: (message: string) => void,
  ) {
    this.warn = throttledWarning(warn);
  }

  record(row: LogRow): void {
    if (!this.config.current().config.telemetry.otlpEndpoint) return;
    if (this.queue.length >= MAX_QUEUED) return;
    this.queue.push(row);
    if (this.queue.length >= BATCH) this.flushSoon(0);
    else this.flushSoon(EXPORT_EVERY_MS);
  }

  /** Sends what is queued (at stop, with a deadline). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      this.sending = this.sending.then(() => this.send(batch));
    }
    await this.sending;
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }

  private async send(rows: LogRow[]): Promise<void> {
    const { otlpEndpoint, headers, serviceName } = this.config.current().config.telemetry;
    if (!otlpEndpoint) return;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [attribute('service.name', serviceName)] },
          scopeSpans: [{ scope: { name: 'tollgate' }, spans: rows.map((row) => this.span(row)) }],
        },
      ],
    };
    try {
      const response = await fetch(otlpEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await response.arrayBuffer();
    } catch (error) {
      this.warn(`telemetry: ${rows.length} spans not exported to ${otlpEndpoint}: ${(error as Error).message}`);
    }
  }

  private span(row: LogRow): Record<string, unknown> {
    // In BigInt: ms since the epoch times 10^6 is past what a double holds exactly.
    const start = BigInt(Math.trunc(row.ts)) * 1_000_000n;
    const end = start + BigInt(Math.round(row.latencyMs * 1e6));
    const operation = OPERATIONS[row.endpoint] ?? row.endpoint;
    const attributes: Attribute[] = [
      attribute('gen_ai.operation.name', operation),
      attribute('http.response.status_code', row.status),
      attribute('tollgate.request_id', row.id),
      attribute('tollgate.cache', row.cache),
    ];
    const providerType = row.provider ? this.providerType(row.provider) : undefined;
    if (providerType) attributes.push(attribute('gen_ai.provider.name', providerType), attribute('gen_ai.system', providerType));
    if (row.provider) attributes.push(attribute('tollgate.provider', row.provider));
    if (row.requestedModel) attributes.push(attribute('gen_ai.request.model', row.requestedModel));
    if (row.servedModel) attributes.push(attribute('gen_ai.response.model', row.servedModel));
    if (row.promptTokens !== null) attributes.push(attribute('gen_ai.usage.input_tokens', row.promptTokens));
    if (row.completionTokens !== null) attributes.push(attribute('gen_ai.usage.output_tokens', row.completionTokens));
    if (row.costUsd !== null) attributes.push(attribute('tollgate.cost_usd', row.costUsd));
    if (row.ttfbMs !== null && row.stream) attributes.push(attribute('tollgate.time_to_first_token_ms', row.ttfbMs));
    if (row.routeTier) attributes.push(attribute('tollgate.route.tier', row.routeTier));
    if (row.errorClass) attributes.push(attribute('error.type', row.errorClass));
    if (row.clientTag) attributes.push(attribute('tollgate.tag', row.clientTag));
    return {
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      name: row.requestedModel ? `${operation} ${row.requestedModel}` : operation,
      kind: 3, // SPAN_KIND_CLIENT: the gateway calls the provider on the caller's behalf
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: end.toString(),
      attributes,
      status: row.status >= 400 || row.errorClass ? { code: 2, message: row.errorMessage ?? '' } : { code: 1 },
    };
  }
}

/** The GenAI conventions' operation names for the gateway's endpoints. */
const OPERATIONS: Readonly<Record<string, string>> = { chat: 'chat', messages: 'chat', responses: 'chat', embeddings: 'embeddings', count_tokens: 'count_tokens', '/v1/completions': 'text_completion' };

function attribute(key: string, value: string | number | boolean): Attribute {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return Number.isInteger(value) ? { key, value: { intValue: String(value) } } : { key, value: { doubleValue: value } };
}
