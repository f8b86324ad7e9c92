import { spawn } from 'node:child_process';
import { openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load';
import { startGateway, type RunningGateway } from '../main';
import { describeShutdown, DRAIN_DEADLINE_MS, type ShutdownReport } from '../shutdown/report';
import { ensureDataDir, readState } from '../state-file';
import { nativeBinding } from '../store/native-binding';
import { installCrashGuard } from './crash-guard';
import { DAEMON_NODE_FLAGS } from './node-flags';
import { findRunningDaemon } from './find-daemon';

export interface StartOptions {
  foreground: boolean;
  port: number;
  configPath: string | undefined;
  dataDir: string;
}

/** A second start finds the running daemon instead of starting another. */
export async function start(options: StartOptions, argv: readonly string[]): Promise<number> {
  const running = await findRunningDaemon(options.dataDir);
  if (running) {
    // A port asked for explicitly that is not the running daemon's is a request this start cannot meet.
    const askedPort = argv.includes('--port') && options.port !== 0 && options.port !== running.state.port;
    if (askedPort) {
      console.error(`tollgate: already running on port ${running.state.port} (pid ${running.state.pid}), not ${options.port}; stop it first (tollgate stop) to start on ${options.port}.`);
      return 1;
    }
    console.log(`Tollgate is already running: http://127.0.0.1:${running.state.port} (pid ${running.state.pid}).`);
    return 0;
  }
  // Throws for a Node this package has no SQLite binding for: said here, in the terminal or the
  // extension's error, and not only in the daemon.log of a detached start.
  nativeBinding();
  return options.foreground ? runInForeground(options) : startDetached(options, argv);
}

async function runInForeground(options: StartOptions): Promise<number> {
  let gateway;
  try {
    gateway = await startGateway({ dataDir: options.dataDir, port: options.port, configPath: options.configPath });
  } catch (error) {
    console.error(`tollgate: ${describeStartError(error, options.port)}`);
    return 1;
  }
  installCrashGuard((graceMs) => gateway.close(graceMs));
  console.log(`Tollgate ${gateway.url} (pid ${process.pid})`);
  console.log(`  OpenAI-shaped:    OPENAI_BASE_URL=${gateway.url}/v1`);
  console.log(`  Anthropic-shaped: ANTHROPIC_BASE_URL=${gateway.url}`);
  console.log(`  config: ${gateway.configPath}   data: ${gateway.dataDir}   (tollgate env prints the exports)`);
  const report = await untilStopped(gateway);
  for (const line of describeShutdown(report)) console.log(`tollgate: ${line}`);
  // Everything is closed; should anything still hold the event loop, it must not keep a stopped daemon around.
  setTimeout(() => process.exit(), 2_000).unref();
  return report.unwritten > 0 ? 1 : 0;
}

/**
 * SIGINT or SIGTERM stops the daemon gracefully (see RunningGateway.close); a second one cuts the
 * calls still in flight instead of waiting for them, and the log is still written. The listeners
 * stay: without one, a second signal would kill the process before the log is written.
 */
function untilStopped(gateway: RunningGateway): Promise<ShutdownReport> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.log(`tollgate: ${signal} again: cutting the calls still in flight, then writing the log…`);
        gateway.cutInFlight();
        return;
      }
      stopping = true;
      console.log(`tollgate: ${signal}: stopping; no new connections, finishing the calls in flight (up to ${DRAIN_DEADLINE_MS / 1000} s), then writing the log…`);
      void gateway.close(DRAIN_DEADLINE_MS, signal).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Re-runs this CLI as a detached `start --foreground`, then waits until it answers. */
async function startDetached(options: StartOptions, argv: readonly string[]): Promise<number> {
  ensureDataDir(options.dataDir);
  const logFile = join(options.dataDir, 'daemon.log');
  const out = openSync(logFile, 'a', 0o600);
  // What this start writes to the log begins here: on failure, that is the daemon's own word.
  const logStart = statSync(logFile).size;
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, process.argv[1]!, ...argv, '--foreground'], {
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const found = readState(options.dataDir)?.pid === child.pid ? await findRunningDaemon(options.dataDir) : undefined;
    if (found) {
      console.log(`Tollgate started: http://127.0.0.1:${found.state.port} (pid ${found.state.pid}). Log: ${logFile}`);
      return 0;
    }
    if (child.exitCode !== null) break;
  }
  const said = readFromOffset(logFile, logStart).trim();
  console.error(said ? `tollgate: the daemon did not start:\n${said}` : `tollgate: the daemon did not start in 15 s; see ${logFile}`);
  return 1;
}

function readFromOffset(file: string, offset: number): string {
  try {
    const text = readFileSync(file);
    return text.subarray(offset).toString('utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

function describeStartError(error: unknown, port: number): string {
  if (error instanceof ConfigError) return `invalid config ${error.message}`;
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `port ${port} is in use by another program; choose another with --port N`;
  }
  return (error as Error).message;
}
