import type { ConfigManager } from '../../config/manager';
import type { Config } from '../../config/schema';
import type { RuntimeProvider } from '../../config/runtime';
import { batchDiscount } from '../../../pricing/batch-discount';
import type { BatchRow, BatchStore, WaitingJob } from '../../store/batch-store';
import type { LogSink } from '../../store/log-row';
import type { JobSignals } from '../signals';
import { batchLogRow } from './batch-log-row';
import type { BatchDriver, BatchEndpoint, BatchRequestLine } from './driver';
import { apiOf, driverOf, newBatchId, placeInBatch, type Placement } from './placement';

export interface BatcherOptions {
  store: BatchStore;
  config: ConfigManager;
  log: LogSink;
  signals: JobSignals;
  warn: (message: string) => void;
}

/**
 * Batch-mode jobs: gathered per provider, model and endpoint until a group is large or old
 * enough, then sent as one provider batch through its driver (driver.ts: OpenAI's upload,
 * create, poll and files; Anthropic's message batches). Every step is
 * committed before the next provider call (store/batch-store.ts), so after a crash a batch goes
 * on from where it stood: polled again if it was submitted, found by its metadata if it was
 * created but not yet recorded, never submitted twice. Jobs a batch cannot serve (no batch API,
 * a failed or expired batch, a deadline the batch would miss) go back to the queue in mode now.
 */
export class Batcher {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private stopped = false;

  constructor(private readonly options: BatcherOptions) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      this.gather(Date.now());
      for (const batch of this.options.store.open()) {
        if (this.stopped) break;
        // One batch's trouble (the provider down, a file missing) must not hold up the others.
        await this.advance(batch).catch((error: unknown) => {
          if (!this.stopped) this.options.warn(`batch ${batch.id}: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
    } catch (error) {
      if (!this.stopped) this.options.warn(`batches: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
      this.schedule(this.options.config.current().config.jobs.batch.pollMs);
    }
  }

  /** Groups waiting jobs; a group that is full or old enough becomes a batch (committed, not yet sent). */
  private gather(now: number): void {
    const runtime = this.options.config.current();
    const settings = runtime.config.jobs.batch;
    const groups = new Map<string, { placement: Placement; endpoint: string; jobs: WaitingJob[] }>();
    const runNow = new Map<string, string[]>();
    for (const job of this.options.store.waiting()) {
      const placement = placeInBatch(runtime, job, now, settings.fallbackSeconds * 1000);
      if (typeof placement === 'string') {
        runNow.set(placement, [...(runNow.get(placement) ?? []), job.id]);
        continue;
      }
      const key = `${placement.provider.id}\u0000${placement.model}\u0000${job.endpoint}`;
      const group = groups.get(key) ?? { placement, endpoint: job.endpoint, jobs: [] };
      group.jobs.push(job);
      groups.set(key, group);
    }
    for (const [reason, ids] of runNow) this.toNow(ids, reason);
    for (const { placement, endpoint, jobs } of groups.values()) {
      const full = jobs.length >= settings.maxSize;
      if (!full && jobs[0]!.createdAt > now - settings.maxAgeSeconds * 1000) continue;
      for (let start = 0; start < jobs.length; start += settings.maxSize) {
        const chunk = jobs.slice(start, start + settings.maxSize);
        this.options.store.create({ id: newBatchId(), provider: placement.provider.id, model: placement.model, endpoint }, chunk.map((job) => job.id));
      }
    }
  }

  private async advance(batch: BatchRow): Promise<void> {
    const runtime = this.options.config.current();
    const provider = runtime.providers.get(batch.provider);
    const api = provider && apiOf(provider);
    const driver = provider && driverOf(provider);
    if (!provider || !api || !driver) {
      this.toNow(this.options.store.jobsOf(batch.id).map((job) => job.id), `provider "${batch.provider}" or its key is gone from the config; the job runs now`);
      return this.options.store.close(batch.id, 'provider or key removed');
    }
    if (batch.state === 'submitted') return this.poll(batch, { api, driver, provider, config: runtime.config });
    const lines: BatchRequestLine[] = this.options.store
      .jobsOf(batch.id)
      .map((job) => ({ customId: job.id, url: job.endpoint, body: { ...(JSON.parse(job.body) as object), model: batch.model } }));
    if (lines.length === 0) return this.options.store.close(batch.id, 'every job left the batch before it was sent');
    if (batch.state === 'preparing') {
      // An upload is free: one repeated after a crash costs nothing, unlike a batch submitted twice.
      const inputFileId = driver.upload ? await driver.upload(api, lines, batch.id) : '';
      this.options.store.uploaded(batch.id, inputFileId);
      batch = { ...batch, state: 'uploaded', inputFileId };
    }
    // A batch created just before a crash kept its id from the database is found, not made again.
    const created =
      (await driver.find(api, batch.id)) ?? (await driver.create(api, { inputFileId: batch.inputFileId || null, lines, endpoint: batch.endpoint, tollgateBatchId: batch.id }));
    this.options.store.submitted(batch.id, created);
    for (const line of lines) this.options.signals.changed(line.customId);
  }

  private async poll(batch: BatchRow, { api, driver, provider, config }: { api: BatchEndpoint & { keyAlias: string }; driver: BatchDriver; provider: RuntimeProvider; config: Config }): Promise<void> {
    const providerBatchId = batch.providerBatchId!;
    const remote = await driver.poll(api, providerBatchId);
    this.options.store.providerStatus(batch.id, remote.status);
    if (!remote.done) {
      const marginMs = config.jobs.batch.fallbackSeconds * 1000;
      const late = this.options.store.jobsOf(batch.id).filter((job) => job.deadlineAt - Date.now() < marginMs);
      if (late.length > 0) this.toNow(late.map((job) => job.id), `batch ${providerBatchId} had not finished close to the job's deadline; the job runs now`);
      return;
    }
    const discount = batchDiscount(provider.pricingId, provider.id, config.jobs.batch.discounts);
    const leftover: string[] = [];
    for (const job of this.options.store.jobsOf(batch.id)) {
      const line = remote.results.get(job.id);
      // A line the provider did not run, or failed on its side (5xx), is worth a call now.
      if (!line || line.kind === 'not_run' || line.status >= 500) {
        leftover.push(job.id);
        continue;
      }
      const { row, savedUsd } = batchLogRow(
        { jobId: job.id, endpointPath: job.endpoint, requestedModel: job.model, upstreamModel: batch.model, provider, keyAlias: api.keyAlias, tag: job.tag, status: line.status, body: line.body, requestBody: job.body, providerBatchId, discount, submittedAt: batch.createdAt },
        config,
      );
      const ok = line.status < 400;
      const outcome = { status: ok ? ('succeeded' as const) : ('failed' as const), responseStatus: line.status, responseBody: Buffer.from(JSON.stringify(line.body)), requestId: row.id, error: ok ? null : `The provider answered ${line.status}`, savedUsd };
      // Logged only when this answer is the job's: a job cancelled or already run now is not billed twice in the log.
      if (this.options.store.finishFromBatch(job.id, batch.id, outcome)) this.options.log.write(row);
      this.options.signals.changed(job.id);
    }
    if (leftover.length > 0) this.toNow(leftover, `batch ${providerBatchId} ended ${remote.status} without an answer for the job; it runs now`);
    this.options.store.close(batch.id, remote.status === 'completed' || remote.status === 'ended' ? null : `provider batch ${remote.status}`);
  }

  private toNow(ids: readonly string[], reason: string): void {
    if (ids.length === 0) return;
    this.options.store.runNow(ids, reason);
    for (const id of ids) this.options.signals.changed(id);
    this.options.signals.submitted();
  }
}
