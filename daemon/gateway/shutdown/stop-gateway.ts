import type { ConnectionDrain } from './drain';
import type { ShutdownReport } from './report';

/** What a running gateway hands over to be stopped. */
export interface StoppableGateway {
  drain: ConnectionDrain;
  /** Closes the live feed's sockets (they are not calls: nothing to finish). */
  closeLive(): void;
  /** Commits the log (within its own deadline) and closes the stores; resolves with the calls it could not write. */
  releaseStores(): Promise<number>;
  /** Calls never logged since the daemon started. */
  dropped(): number;
  closeUpstreams(): void;
  /** Makes the report known (shutdown.json), when it starts and when it ends. */
  publish(report: ShutdownReport): void;
}

/**
 * The order of a graceful stop: say it has begun, stop taking calls and let those in flight
 * finish (ConnectionDrain), then commit the log, then close what is left, and say how it went.
 */
export async function stopGateway(gateway: StoppableGateway, graceMs: number, reason: string): Promise<ShutdownReport> {
  const startedAt = Date.now();
  const begun: ShutdownReport = {
    pid: process.pid,
    phase: 'draining',
    reason,
    startedAt,
    deadlineAt: startedAt + graceMs,
    inFlight: gateway.drain.inFlight,
    servedDuringDrain: 0,
    cut: 0,
    unwritten: 0,
    dropped: 0,
    stoppedAt: null,
  };
  gateway.publish(begun);
  gateway.closeLive();
  const drained = await gateway.drain.drain(graceMs);
  const unwritten = await gateway.releaseStores();
  gateway.closeUpstreams();
  const ended: ShutdownReport = { ...begun, ...drained, phase: 'stopped', unwritten, dropped: gateway.dropped(), stoppedAt: Date.now() };
  gateway.publish(ended);
  return ended;
}
