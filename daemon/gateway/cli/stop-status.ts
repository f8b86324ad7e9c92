import { describeShutdown, DRAIN_DEADLINE_MS, LOG_FLUSH_MS, readShutdownReport } from '../shutdown/report';
import { readState } from '../state-file';
import { findRunningDaemon, isAlive } from './find-daemon';

/** Beyond the daemon's own deadlines: starting to stop, closing the database, exiting. */
const STOP_MARGIN_MS = 5_000;

/**
 * Sends SIGTERM, then waits while the daemon finishes its calls in flight and writes the log
 * (it says how long it may take in shutdown.json), and reports what it did.
 */
export async function stop(dataDir: string): Promise<number> {
  const state = readState(dataDir);
  if (!state || !isAlive(state.pid)) {
    console.log('Tollgate is not running.');
    return 0;
  }
  process.kill(state.pid, 'SIGTERM');
  let limit = Date.now() + DRAIN_DEADLINE_MS + LOG_FLUSH_MS + STOP_MARGIN_MS;
  let announced = false;
  while (isAlive(state.pid)) {
    const report = readShutdownReport(dataDir, state.pid);
    if (report && !announced) {
      announced = true;
      limit = report.deadlineAt + LOG_FLUSH_MS + STOP_MARGIN_MS;
      const wait = Math.round((report.deadlineAt - report.startedAt) / 1000);
      console.log(`Stopping Tollgate (pid ${state.pid}): finishing ${report.inFlight} call${report.inFlight === 1 ? '' : 's'} in flight (up to ${wait} s), then writing the log…`);
    }
    if (Date.now() > limit) {
      console.error(`tollgate: pid ${state.pid} did not stop in time; it is still running`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`Tollgate stopped (pid ${state.pid}).`);
  const report = readShutdownReport(dataDir, state.pid);
  if (report?.phase !== 'stopped') {
    console.error('tollgate: it exited without saying whether its log was written (an older version, or it was killed)');
    return 1;
  }
  for (const line of describeShutdown(report)) console.log(`  ${line}`);
  return report.unwritten > 0 ? 1 : 0;
}

export async function status(dataDir: string): Promise<number> {
  const running = await findRunningDaemon(dataDir);
  if (!running) {
    console.log('Tollgate is not running. Start it with: tollgate start');
    return 1;
  }
  const { health } = running;
  console.log(`Tollgate ${health.version}: running on http://127.0.0.1:${health.port} (pid ${health.pid}, up ${health.uptimeS} s)`);
  console.log(`  config:    ${health.configPath}`);
  console.log(`  data:      ${health.dataDir}`);
  console.log(`  providers: ${health.providers.map((p) => `${p.id} (${p.type}, ${p.keys} key${p.keys === 1 ? '' : 's'})`).join(', ')}`);
  const reload = health.lastReload;
  if (reload) console.log(`  reload:    ${new Date(reload.at).toLocaleString()}: ${reload.ok ? 'applied' : reload.message}`);
  for (const warning of health.warnings) console.log(`  warning:   ${warning}`);
  return 0;
}
