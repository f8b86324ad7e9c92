import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HealthResponse } from '../daemon/gateway/api/contracts';
import { logWarnings } from '../daemon/gateway/api/log-health';
import { isAlive } from '../daemon/gateway/cli/find-daemon';
import { LOG_FLUSH_MS } from '../daemon/gateway/shutdown/report';
import { readState, type DaemonState } from '../daemon/gateway/state-file';
import { GatewayApi } from './gateway-api';
import { errorMessage, log } from './log';
import { checkNodeRuntime } from './node-runtime';
import type { Settings } from './settings';

export interface GatewayConnection {
  api: GatewayApi;
  state: DaemonState;
  health: HealthResponse;
}

export type GatewayStatus = { kind: 'starting' } | { kind: 'up'; connection: GatewayConnection } | { kind: 'down'; message: string };

export interface SupervisorOptions {
  /** dist/tollgate.js inside the extension. */
  cliPath: string;
  dataDir: string;
  settings: () => Settings;
}

const WATCH_INTERVAL_MS = 5_000;
/** Health checks that may fail in a row (a busy daemon) before a live process counts as down. */
const MISSED_CHECKS_BEFORE_DOWN = 3;
/** Automatic restarts allowed per window; past that a crashing daemon is left down and the user is told. */
const RESTART_LIMIT = { count: 3, windowMs: 5 * 60_000 };

/**
 * Finds the gateway through daemon.json or starts it detached with the user's Node, then watches
 * its health: a daemon that died (or stopped answering) is restarted, and a daemon restarted by
 * someone else (another window, the CLI) is picked up. The daemon outlives the editor: it is
 * shared by every window and terminal, so deactivation never stops it.
 */
export class GatewaySupervisor implements vscode.Disposable {
  private readonly statusEmitter = new vscode.EventEmitter<GatewayStatus>();
  private readonly connectEmitter = new vscode.EventEmitter<GatewayConnection>();
  /** Every status change: starting, up (possibly the same gateway again), down. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** A different gateway (new pid or token) became current: per-gateway state must be rebuilt. */
  readonly onDidConnect = this.connectEmitter.event;
  private status: GatewayStatus = { kind: 'starting' };
  private pending: Promise<GatewayConnection> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private missedChecks = 0;
  private readonly restarts: number[] = [];
  private gaveUp = false;

  constructor(private readonly options: SupervisorOptions) {}

  get current(): GatewayConnection | undefined {
    return this.status.kind === 'up' ? this.status.connection : undefined;
  }

  get currentStatus(): GatewayStatus {
    return this.status;
  }

  /** The running gateway, started if none answers. Concurrent callers share one attempt. */
  ensure(): Promise<GatewayConnection> {
    const current = this.current;
    if (current) return Promise.resolve(current);
    this.pending ??= this.findOrStart().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Stops the gateway daemon.json describes (whoever started it) and starts a fresh one. */
  async restart(): Promise<GatewayConnection> {
    await this.pending?.catch(() => undefined);
    const state = readState(this.options.dataDir);
    this.setStatus({ kind: 'starting' });
    if (state && isAlive(state.pid)) await stopProcess(state.pid);
    this.gaveUp = false;
    this.restarts.length = 0;
    return this.ensure();
  }

  startWatching(): void {
    this.timer ??= setInterval(() => void this.check(), WATCH_INTERVAL_MS);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.statusEmitter.dispose();
    this.connectEmitter.dispose();
  }

  /** Looks again now (the live feed closed, or a command failed to connect). */
  async check(): Promise<void> {
    if (this.pending) return;
    const found = await this.find();
    if (found) {
      this.missedChecks = 0;
      this.connect(found);
      return;
    }
    const state = this.current?.state;
    if (state && isAlive(state.pid) && ++this.missedChecks < MISSED_CHECKS_BEFORE_DOWN) return;
    if (this.status.kind === 'up') log.warn(`gateway (pid ${state?.pid}) stopped answering`);
    this.setStatus({ kind: 'down', message: 'The Tollgate gateway is not running.' });
    if (this.mayRestart()) await this.ensure().catch(() => undefined);
  }

  private async findOrStart(): Promise<GatewayConnection> {
    const found = await this.find();
    if (found) return this.connect(found);
    this.setStatus({ kind: 'starting' });
    try {
      await this.startDaemon();
      const started = await this.find();
      if (!started) throw new Error(`the gateway started but does not answer; see ${join(this.options.dataDir, 'daemon.log')}`);
      return this.connect(started);
    } catch (error) {
      // Another window (or the CLI) may have started one at the same moment and taken the port.
      const raced = await this.find();
      if (raced) return this.connect(raced);
      this.setStatus({ kind: 'down', message: errorMessage(error) });
      throw error;
    }
  }

  /** The gateway daemon.json describes, if it is alive and answers with its token. */
  private async find(): Promise<GatewayConnection | undefined> {
    const state = readState(this.options.dataDir);
    if (!state || !isAlive(state.pid)) return undefined;
    const api = new GatewayApi(state);
    try {
      return { api, state, health: await api.health() };
    } catch {
      return undefined;
    }
  }

  private async startDaemon(): Promise<void> {
    const { nodePath, port } = this.options.settings();
    const node = await checkNodeRuntime(nodePath);
    const args = [this.options.cliPath, 'start', '--port', String(port), '--data-dir', this.options.dataDir];
    log.info(`starting the gateway: ${node.path} (Node ${node.version}) ${args.join(' ')}`);
    const output = await new Promise<string>((resolve, reject) => {
      execFile(node.path, args, { timeout: 30_000, windowsHide: true, env: daemonEnv(process.env) }, (error, stdout, stderr) => {
        const text = `${stdout}${stderr}`.trim();
        if (error) reject(new Error(startFailure(text, this.options.dataDir)));
        else resolve(text);
      });
    });
    log.info(output);
  }

  private connect(found: GatewayConnection): GatewayConnection {
    const previous = this.current;
    this.setStatus({ kind: 'up', connection: found });
    if (!previous || previous.state.pid !== found.state.pid || previous.state.token !== found.state.token) {
      log.info(`connected to gateway ${found.api.baseUrl} (pid ${found.state.pid}, version ${found.health.version})`);
      this.connectEmitter.fire(found);
    }
    return found;
  }

  private mayRestart(): boolean {
    if (this.gaveUp) return false;
    const now = Date.now();
    while (this.restarts.length > 0 && now - this.restarts[0]! > RESTART_LIMIT.windowMs) this.restarts.shift();
    if (this.restarts.length >= RESTART_LIMIT.count) {
      this.gaveUp = true;
      const message = `The Tollgate gateway stopped ${RESTART_LIMIT.count} times in a few minutes; it is left stopped. See ${join(this.options.dataDir, 'daemon.log')}.`;
      log.error(message);
      void vscode.window.showErrorMessage(message, 'Restart Gateway', 'Show Logs').then((choice) => {
        if (choice === 'Restart Gateway') void vscode.commands.executeCommand('tollgate.restartGateway');
        if (choice === 'Show Logs') log.show();
      });
      return false;
    }
    this.restarts.push(now);
    return true;
  }

  private setStatus(status: GatewayStatus): void {
    const changed = describe(status) !== describe(this.status);
    this.status = status;
    if (changed) this.statusEmitter.fire(status);
  }
}

/** Two statuses that describe alike are the same to the user: a change in the log's health is a change. */
function describe(status: GatewayStatus): string {
  if (status.kind === 'up') {
    const { state, health } = status.connection;
    return `up ${state.pid} ${state.token} ${health.log ? logWarnings(health.log).join('|') : ''}`;
  }
  return status.kind === 'down' ? `down ${status.message}` : status.kind;
}

/** The CLI's own message, plus the end of daemon.log, which says why a detached start failed. */
function startFailure(output: string, dataDir: string): string {
  const logFile = join(dataDir, 'daemon.log');
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
  const portHint = /port \d+ is in use/.test(output + tail) ? ' Choose another port with the setting "tollgate.daemon.port".' : '';
  return `Tollgate could not start its gateway: ${output || 'no output'}${portHint}${tail ? `\n${tail}` : ''}`;
}

/**
 * The daemon outlives this editor and serves every window and terminal: it gets the user's
 * environment, without the variables that tie a process to this editor session.
 */
function daemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(VSCODE_|ELECTRON_)/.test(name) && name !== 'NODE_OPTIONS'));
}

/**
 * A restart should not wait out a long stream: SIGTERM lets calls in flight finish for a while,
 * a second SIGTERM cuts the rest and the daemon still writes its log; SIGKILL, which would lose
 * what is not yet committed, only if it is still there after that.
 */
async function stopProcess(pid: number): Promise<void> {
  for (const [signal, waitMs] of [['SIGTERM', 10_000], ['SIGTERM', LOG_FLUSH_MS + 5_000], ['SIGKILL', 0]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!isAlive(pid)) return;
  }
}
