import { readState } from '../state-file';
import { findRunningDaemon, isAlive } from './find-daemon';

export async function stop(dataDir: string): Promise<number> {
  const state = readState(dataDir);
  if (!state || !isAlive(state.pid)) {
    console.log('Tollgate is not running.');
    return 0;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (isAlive(state.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(state.pid)) {
    console.error(`tollgate: pid ${state.pid} did not stop within 15 s`);
    return 1;
  }
  console.log(`Tollgate stopped (pid ${state.pid}).`);
  return 0;
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
  for (const warning of health.warnings) console.log(`  warning:   ${warning}`);
  return 0;
}
