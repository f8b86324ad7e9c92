import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LiveFeed } from './api/live';
import { SpendTracker } from './budgets/tracker';
import { ConfigManager } from './config/manager';
import { KeyPools } from './resilience/key-pool';
import { LatencyTracker } from './resilience/latency';
import { closeUpstreamPools } from './providers/upstream';
import { createGatewayServer } from './server';
import { openDatabase } from './store/db';
import { CacheStore } from './store/cache-store';
import { CallSiteQueries } from './store/callsite-queries';
import { Labels } from './store/labels';
import { LogWriter } from './store/log-writer';
import { RequestQueries } from './store/request-queries';
import { pruneExpired } from './store/retention';
import { StatsQueries } from './store/stats-queries';
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
  /** Stops accepting, lets in-flight calls finish (up to graceMs), commits the log, closes the database. */
  close(graceMs?: number): Promise<void>;
}

const RETENTION_INTERVAL_MS = 3_600_000;

/** config → stores → server. The one way the gateway starts, for the CLI and for tests alike. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const warn = options.onWarning ?? ((message: string) => console.warn(`tollgate: ${message}`));
  ensureDataDir(options.dataDir);
  const configPath = options.configPath ?? join(options.dataDir, 'config.json');
  const config = new ConfigManager(configPath, env);
  config.on('error', (error) => warn(`config change ignored: ${error.message}`));
  for (const warning of config.current().warnings) warn(warning);
  const token = options.token ?? env['TOLLGATE_TOKEN'] ?? `tg_${randomBytes(24).toString('base64url')}`;

  const dbFile = join(options.dataDir, 'tollgate.db');
  const db = openDatabase(dbFile);
  const labels = new Labels(db);
  const cache = new CacheStore(db);
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
  const server = createGatewayServer({
    pipeline: { config, log: writer, cache, token, pools, latency: new LatencyTracker(), spend },
    admin: {
      token,
      config,
      requests: new RequestQueries(db, labels),
      stats: new StatsQueries(db),
      writer,
      cache,
      callSites: new CallSiteQueries(db, labels),
      spend,
      info: { version: VERSION, port: () => port, dataDir: options.dataDir, startedAt },
    },
    live,
  });

  let closed = false;
  const prune = (): void => {
    cache.prune(config.current().config.cache.maxEntries);
    void pruneExpired(db, config.current().config.logging, () => closed).catch((error: Error) => warn(`log retention failed: ${error.message}`));
  };
  prune();
  const retentionTimer = setInterval(prune, RETENTION_INTERVAL_MS).unref();

  const releaseStores = async (): Promise<void> => {
    closed = true;
    clearInterval(retentionTimer);
    config.close();
    await writer.close();
    db.close();
  };
  try {
    await listen(server, options.port);
  } catch (error) {
    // The port is taken (or not ours to bind): nothing started may outlive the failed start.
    live.close();
    await releaseStores();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  config.watchFile();
  if (options.writeStateFile !== false) {
    writeState(options.dataDir, { port, pid: process.pid, token, version: VERSION, startedAt });
  }

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000): Promise<void> => {
    closing ??= (async () => {
      if (options.writeStateFile !== false) removeStateIfOurs(options.dataDir, process.pid);
      live.close();
      await stopServer(server, graceMs);
      await releaseStores();
      closeUpstreamPools();
    })();
    return closing;
  };
  return { url: `http://127.0.0.1:${port}`, port, token, dataDir: options.dataDir, configPath, close };
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

/** Stops accepting connections, waits for in-flight responses, then cuts whatever is left. */
async function stopServer(server: ReturnType<typeof createGatewayServer>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
