/**
 * A warning said at most once per interval: a failing dependency (an embedder, a telemetry
 * endpoint) is reported without a line per call.
 */
export function throttledWarning(warn: (message: string) => void, intervalMs = 60_000): (message: string) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (message) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    warn(message);
  };
}
