import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { daemonToken } from './api/auth';
import { LiveFeed } from './api/live';
import { OutputHistory } from './budgets/output-history';
import { SpendTracker } from './budgets/tracker';
import { ConfigManager } from './config/manager';
import { KeyPools } from './resilience/key-pool';
import { LatencyTracker } from './resilience/latency';
import { closeUpstreamPools } from './providers/upstream';
import { createGatewayServer } from './server';
import { ConnectionDrain } from './shutdown/drain';
import { DRAIN_DEADLINE_MS, LOG_FLUSH_MS, writeShutdownReport, type ShutdownReport } from './shutdown/report';
import { stopGateway, type StoppableGateway } from './shutdown/stop-gateway';
import { openDatabase } from './store/db';
import { CacheStore } from './store/cache-store';
import { Flights } from './cache/flights';
import { ResponseCache } from './cache/response-cache';
import { Embedders } from './cache/semantic/embedders';
import { NearDuplicateSampler } from './advice/near-duplicate-sampler';
import { GatewayMetrics } from './api/metrics';
import { OtlpExporter } from './api/otlp-export';
import { reportUnexpected } from './http/last-resort';
import type { LogSink } from './store/log-row';
import { SemanticCache } from './cache/semantic/semantic-cache';
import { SemanticStore } from './store/semantic-store';
import { WhatIfQueries } from './store/whatif-queries';
import { CallSiteQueries } from './store/callsite-queries';
import { Labels } from './store/labels';
import { LogWriter } from './store/log-writer';
import { RequestQueries } from './store/request-queries';
import { pruneExpired } from './store/retention';
import { AdviceQueries } from './store/advice-queries';
import { SeriesQueries } from './store/series-queries';
import { StatsQueries } from './store/stats-queries';
import { JobStore } from './store/job-store';
import { JobRunner } from './jobs/runner';
import { JobSignals } from './jobs/signals';
import { Batcher } from './jobs/batch/batcher';
import { BatchStore } from './store/batch-store';
import { EmbeddingBatcher } from './batching/embedding-batcher';
import { ensureDataDir, removeStateIfOurs, writeState } from './state-file';
import { VERSION } from './version';

export interface GatewayOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Default: config.json in the data directory. */
  configPath?: string | undefined;
  /** Default: TOLLGATE_TOKEN, else a new random token. */
  token?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Write daemon.json so that other clients can find this gateway. */
  writeStateFile?: boolean;
  /** Reports problems that do not stop the gateway (an invalid config edit, a failed log write). */
  onWarning?: (message: string) => void;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  readonly configPath: string;
  /**
   * Stops accepting, lets in-flight calls finish (up to graceMs; then they are cut), commits the
   * log, closes the database, and says what happened (also in shutdown.json with the state file).
   */
  close(graceMs?: number, reason?: string): Promise<ShutdownReport>;
  /** During close(): cut the calls still in flight now rather than at the deadline. */
  cutInFlight(): void;
}

const RETENTION_INTERVAL_MS = 3_600_000;

/** config → stores → server. The one way the gateway starts, for the CLI and for tests alike. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const token = daemonToken(options.token ?? env['TOLLGATE_TOKEN']);
  const warn = options.onWarning ?? ((message: string) => console.warn(`tollgate: ${message}`));
  ensureDataDir(options.dataDir);
  const configPath = options.configPath ?? join(options.dataDir, 'config.json');
  const config = new ConfigManager(configPath, env);
  config.on('error', (error) => warn(`config change ignored: ${error.message}`));
  for (const warning of config.current().warnings) warn(warning);

  const dbFile = join(options.dataDir, 'tollgate.db');
  const db = openDatabase(dbFile);
  const labels = new Labels(db);
  const cache = new ResponseCache(new CacheStore(db), () => config.current().config.cache.memoryBytes);
  const flights = new Flights();
  const semantic = new SemanticCache(new SemanticStore(db), cache);
  const embedders = new Embedders(() => ({ port, token }), warn);
  const writer = new LogWriter(dbFile, () => config.current().config.logging.bodies);
  writer.on('error', (error) => warn(`request log: ${error.message}`));
  writer.on('recovered', (failure) => warn(`request log: writing again after ${Math.round((Date.now() - failure.since) / 1000)} s (${failure.cause}); ${writer.size} calls still to commit`));
  const live = new LiveFeed(token, writer);
  const pools = new KeyPools();
  const spend = new SpendTracker(db);
  const hasBudgets = (): boolean => Boolean(config.current().config.budgets) || Object.values(config.current().config.models).some((alias) => alias.budget);
  spend.configure(hasBudgets());
  config.on('change', () => spend.configure(hasBudgets()));
  config.on('change', () => pools.onConfigChange());
  const startedAt = Date.now();
  let port = options.port;
  const drain = new ConnectionDrain();
  const metrics = new GatewayMetrics({ config, spend, pools, writer });
  const otlp = new OtlpExporter(config, (id) => config.current().providers.get(id)?.type, warn);
  // Every finished call goes to the log, and is counted for /metrics and exported as a span on its way.
  const log: LogSink = {
    write: (row) => {
      writer.write(row);
      try {
        metrics.observe(row);
        otlp.record(row);
      } catch (error) {
        // The row is in the log; a figure /metrics or a span misses must not end the daemon.
        reportUnexpected(row.id, 'counting it for /metrics and telemetry', error);
      }
    },
  };
  const jobStore = new JobStore(db);
  const signals = new JobSignals();
  const runner = new JobRunner({ store: jobStore, signals, gateway: () => ({ port, token }), concurrency: () => config.current().config.jobs.concurrency, warn });
  const batcher = new Batcher({ store: new BatchStore(db), config, log, signals, warn });
  const whatIf = new WhatIfQueries(db);
  const server = createGatewayServer({
    metrics,
    pipeline: { config, log, cache, flights, semantic, embedders, token, pools, latency: new LatencyTracker(), spend, outputs: new OutputHistory(), embeddingBatcher: new EmbeddingBatcher() },
    admin: {
      token,
      config,
      requests: new RequestQueries(db, labels),
      stats: new StatsQueries(db),
      writer,
      cache,
      flights,
      semantic,
      whatIf,
      advice: new AdviceQueries(db),
      // A sample still being embedded when the daemon stops fails with the encoder: not worth a warning then.
      nearDuplicates: new NearDuplicateSampler({ whatIf, embedder: () => embedders.named('local'), warn: (message) => void (closed || warn(message)) }),
      series: new SeriesQueries(db),
      callSites: new CallSiteQueries(db, labels),
      spend,
      jobs: { store: jobStore, signals, runner, config },
      info: { version: VERSION, port: () => port, dataDir: options.dataDir, startedAt },
    },
    live,
    responseClass: drain.responseClass,
  });
  drain.attach(server);

  let closed = false;
  const prune = (): void => {
    void pruneExpired(db, config.current().config.logging, () => closed).catch((error: Error) => warn(`log retention failed: ${error.message}`));
  };
  prune();
  const retentionTimer = setInterval(prune, RETENTION_INTERVAL_MS).unref();

  /** Resolves with the finished calls the log could not write in time. */
  const releaseStores = async (): Promise<number> => {
    closed = true;
    clearInterval(retentionTimer);
    // Spans of the last calls, best effort: an endpoint that does not answer in 2 s does not hold up the stop.
    await Promise.race([otlp.flush(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    config.close();
    await embedders.close();
    const cause = (): string => writer.status().failing?.cause ?? 'the log writer stopped';
    const unwritten = await writer.close(LOG_FLUSH_MS);
    if (unwritten > 0) warn(`request log: ${unwritten} finished calls could not be written before exit (${cause()}); they are lost`);
    db.close();
    return unwritten;
  };
  try {
    await writer.ready;
    await listen(server, options.port);
  } catch (error) {
    // The port is taken (or not ours to bind): nothing started may outlive the failed start.
    live.close();
    await releaseStores();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  config.watchFile();
  runner.start();
  batcher.start();
  if (options.writeStateFile !== false) {
    writeState(options.dataDir, { port, pid: process.pid, token, version: VERSION, startedAt });
  }

  const stoppable: StoppableGateway = {
    drain,
    closeLive: () => live.close(),
    releaseStores,
    dropped: () => writer.status().dropped,
    closeUpstreams: closeUpstreamPools,
    publish: (report) => {
      if (options.writeStateFile !== false) writeShutdownReport(options.dataDir, report);
    },
  };
  let closing: Promise<ShutdownReport> | undefined;
  const close = (graceMs = DRAIN_DEADLINE_MS, reason = 'close'): Promise<ShutdownReport> => {
    if (!closing) {
      // Clients stop finding this gateway at once, while it drains.
      if (options.writeStateFile !== false) removeStateIfOurs(options.dataDir, process.pid);
      // No job starts once stopping begins; those running are cut and queued again (committed).
      runner.stop();
      batcher.stop();
      closing = stopGateway(stoppable, graceMs, reason);
    }
    return closing;
  };
  const cutInFlight = (): void => drain.cut();
  return { url: `http://127.0.0.1:${port}`, port, token, dataDir: options.dataDir, configPath, close, cutInFlight };
}

function listen(server: ReturnType<typeof createGatewayServer>, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
