import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { budgetStatuses } from '../budgets/policy';
import type { SpendTracker } from '../budgets/tracker';
import type { ConfigManager } from '../config/manager';
import type { KeyPools } from '../resilience/key-pool';
import type { LogRow } from '../store/log-row';
import type { LogWriter } from '../store/log-writer';

/** Distinct values kept per caller-chosen label before new ones are counted as "other". */
const MAX_LABEL_VALUES = 200;

/** Seconds; LLM calls run from milliseconds (cache hits) to minutes (long generations). */
const LATENCY_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * GET /metrics in Prometheus' text format (prom-client): every logged call is counted as it is
 * logged (a couple of microseconds), and the gauges (budgets, resting keys, the log's backlog)
 * are read when scraped. Labels are the endpoint, provider, served model, status and error
 * class: all bounded by the config and the providers' model lists.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests;
  private readonly errors;
  private readonly latency;
  private readonly ttft;
  private readonly tokens;
  private readonly cost;
  private readonly cache;
  private readonly saved;
  private readonly routed;
  private readonly routedCost;
  private readonly routedBaseline;

  constructor(sources: { config: ConfigManager; spend: SpendTracker; pools: KeyPools; writer: LogWriter }) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'tollgate_requests_total', help: 'Calls logged, by endpoint, provider, served model and HTTP status.', labelNames: ['endpoint', 'provider', 'model', 'status'], registers });
    this.errors = new Counter({ name: 'tollgate_errors_total', help: 'Failed calls by error class (the log\'s errorClass).', labelNames: ['error_class'], registers });
    this.latency = new Histogram({ name: 'tollgate_request_duration_seconds', help: 'Time from request to the end of the response.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.ttft = new Histogram({ name: 'tollgate_time_to_first_token_seconds', help: 'Streamed calls: time to the first event.', labelNames: ['endpoint', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.tokens = new Counter({ name: 'tollgate_tokens_total', help: 'Tokens billed, by provider, served model and kind (input includes cached).', labelNames: ['provider', 'model', 'kind'], registers });
    this.cost = new Counter({ name: 'tollgate_cost_usd_total', help: 'Spend in USD by provider and served model (calls with a known price).', labelNames: ['provider', 'model'], registers });
    this.cache = new Counter({ name: 'tollgate_cache_total', help: 'Cacheable calls by outcome: hit, semantic-hit, coalesced, miss.', labelNames: ['outcome'], registers });
    this.saved = new Counter({ name: 'tollgate_cache_saved_usd_total', help: 'USD not spent by cache hits and coalesced calls, priced as the call that answered them.', registers });
    this.routed = new Counter({ name: 'tollgate_routed_total', help: 'Calls routed by complexity, by tier.', labelNames: ['tier'], registers });
    this.routedCost = new Counter({ name: 'tollgate_routed_cost_usd_total', help: 'What routed calls cost (those priced both ways).', registers });
    this.routedBaseline = new Counter({ name: 'tollgate_routed_baseline_usd_total', help: 'What the same routed calls would have cost on the complex tier; baseline minus cost is what routing saved.', registers });
    const { config, spend, pools, writer } = sources;
    new Gauge({
      name: 'tollgate_budget_remaining_usd',
      help: 'What each configured budget has left (spent and held by calls in flight counted).',
      labelNames: ['scope', 'period'],
      registers,
      collect() {
        this.reset();
        for (const status of budgetStatuses(config.current().config, spend)) this.set({ scope: status.scope, period: status.period }, status.remainingUsd);
      },
    });
    new Gauge({
      name: 'tollgate_keys_unavailable',
      help: 'Keys resting after a rate limit or disabled, by provider.',
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        const counts = pools.unavailable();
        for (const provider of config.current().providerList) this.set({ provider: provider.id }, counts.get(provider.id) ?? 0);
      },
    });
    new Gauge({
      name: 'tollgate_log_pending',
      help: 'Finished calls not yet committed to the request log.',
      registers,
      collect() {
        this.set(writer.status().pending);
      },
    });
  }

  /** Label values seen so far, per label: a caller can send any model name or pass-through path, and each would be a new series. */
  private readonly seen = { model: new Set<string>(), endpoint: new Set<string>() };

  /**
   * A caller-chosen value as a label: at most MAX_LABEL_VALUES distinct ones (then "other"), each
   * cut to 120 characters, so made-up names cannot grow /metrics (and the daemon's memory) without end.
   */
  private bounded(kind: keyof GatewayMetrics['seen'], value: string): string {
    const label = value.slice(0, 120);
    const seen = this.seen[kind];
    if (seen.has(label)) return label;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(label);
    return label;
  }

  observe(row: LogRow): void {
    const provider = row.provider ?? '';
    const model = this.bounded('model', row.servedModel ?? row.requestedModel ?? '');
    const endpoint = this.bounded('endpoint', row.endpoint);
    this.requests.inc({ endpoint, provider, model, status: String(row.status) });
    if (row.errorClass) this.errors.inc({ error_class: row.errorClass });
    this.latency.observe({ endpoint, provider }, row.latencyMs / 1000);
    if (row.stream && row.ttfbMs !== null) this.ttft.observe({ endpoint, provider }, row.ttfbMs / 1000);
    if (row.promptTokens !== null) this.tokens.inc({ provider, model, kind: 'input' }, row.promptTokens);
    if (row.completionTokens !== null) this.tokens.inc({ provider, model, kind: 'output' }, row.completionTokens);
    if (row.cachedTokens) this.tokens.inc({ provider, model, kind: 'cached_input' }, row.cachedTokens);
    if (row.costUsd) this.cost.inc({ provider, model }, row.costUsd);
    if (row.cache === 'hit' || row.cache === 'semantic-hit' || row.cache === 'coalesced' || row.cache === 'miss') this.cache.inc({ outcome: row.cache });
    if (row.savedUsd) this.saved.inc(row.savedUsd);
    if (row.routeTier) {
      this.routed.inc({ tier: row.routeTier });
      if (row.routeBaselineUsd !== null && row.costUsd !== null) {
        this.routedCost.inc(row.costUsd);
        this.routedBaseline.inc(row.routeBaselineUsd);
      }
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
