import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '../../dist/tollgate.js');

export interface Crash {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it printed before it went, where the reason is. */
  stderrTail: string;
}

/**
 * The built daemon (dist/tollgate.js start --foreground) as its own process, as users run it, so
 * that a crash is a crash: an exit the suite records and recovers from (a restart, counted),
 * not an exception inside the test runner.
 */
export class DaemonUnderTest {
  readonly crashes: Crash[] = [];
  /** Fresh daemons started after a crash. */
  restarts = 0;
  port = 0;
  pid = 0;
  private child: ChildProcess | undefined;
  private stderr = '';
  private stopping = false;
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly configPath: string,
    readonly token: string,
  ) {}

  /**
   * What the daemon reported on stderr: errors it handled but did not expect (http/last-resort.ts),
   * and warnings such as a failed log write. A healthy run prints none.
   */
  get unexpectedReports(): string[] {
    return this.stderr.split('\n').filter((line) => line.startsWith('tollgate: '));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    rmSync(join(this.dataDir, 'daemon.json'), { force: true });
    const child = spawn(process.execPath, [CLI, 'start', '--foreground', '--port', '0', '--data-dir', this.dataDir, '--config', this.configPath], {
      env: { ...process.env, TOLLGATE_TOKEN: this.token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2_000_000);
    });
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.crashes.push({ code, signal, stderrTail: this.stderr.slice(-3_000) });
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const state = this.readState();
      if (state && state.pid === child.pid) {
        this.port = state.port;
        this.pid = state.pid;
        return;
      }
      if (!this.running) throw new Error(`the daemon exited at start: ${this.stderr.slice(-2_000)}`);
      if (Date.now() > deadline) throw new Error('the daemon did not write daemon.json within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Starts a fresh daemon after a crash (once, however many workers notice). */
  async restartIfDead(): Promise<void> {
    if (this.restarting) return this.restarting;
    if (this.running || this.stopping) return;
    this.restarts++;
    this.restarting = this.start().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** SIGTERM, as `tollgate stop` sends: in-flight calls finish and the log is written. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private readState(): { port: number; pid: number } | undefined {
    const file = join(this.dataDir, 'daemon.json');
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { port: number; pid: number };
    } catch {
      return undefined;
    }
  }
}
