/**
 * The daemon's process-level last resort, installed by `tollgate start --foreground` only (the
 * process the extension and the CLI supervise); tests and other embedders of startGateway keep
 * Node's defaults.
 *
 * Every error a request can cause is handled where it happens: answered in the caller's API
 * shape and reported with the request id (http/last-resort.ts). Reaching this handler means a
 * bug outside any request, or a request path nobody covered. Keeping on serving would be wrong:
 * after an uncaught exception the process is in an unknown state (a key lease never released, a
 * budget never counted, the log writer half-way through a batch), and hiding the failure would
 * also hide it from the fuzz suite, which watches the pid. Node's default (print, exit at once)
 * is also wrong: it drops the calls in flight and the rows still queued for the log. So: report
 * the error, stop the way SIGTERM does (in-flight calls finish, the log is committed) within a
 * short grace, and exit 1 so that the supervisor starts a fresh daemon. A rejection nobody
 * handled is treated the same way (Node's own default since v15). A second failure while
 * stopping exits at once.
 */
const GRACE_MS = 5_000;
const HARD_EXIT_MS = 10_000;

export function installCrashGuard(stop: (graceMs: number) => Promise<unknown>): void {
  let stopping = false;
  const onFatal = (error: unknown, origin: string): void => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`tollgate: fatal ${origin}, stopping (in-flight calls finish, the log is written): ${detail}`);
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => process.exit(1), HARD_EXIT_MS).unref();
    stop(GRACE_MS).then(
      () => process.exit(1),
      () => process.exit(1),
    );
  };
  process.on('uncaughtException', (error) => onFatal(error, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => onFatal(reason, 'unhandled rejection'));
}
