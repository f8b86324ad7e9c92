/**
 * What an AbortController does for one listener, without the per-request cost of AbortSignal's
 * event machinery (measured at ~7 % of the gateway's CPU under load).
 */
export class Cancellation {
  cancelled = false;
  private hook: (() => void) | undefined;

  /** Runs now if already cancelled. Only the latest hook is kept: one upstream request at a time. */
  onCancel(hook: (() => void) | undefined): void {
    if (this.cancelled && hook) hook();
    else this.hook = hook;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.hook?.();
  }
}
