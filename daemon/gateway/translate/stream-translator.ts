import type { SseEvent } from '../usage/sse-splitter';

/** Turns a provider's stream, one event at a time, into the events of the caller's API. */
export interface StreamTranslator {
  /** The caller's events for this provider event (often none, sometimes several). */
  push(event: SseEvent): string;
  /**
   * Called when the provider's stream ends cleanly: the closing events still owed, and whether
   * the answer was complete (a stream that ended before its last event was cut short).
   */
  end(): { text: string; complete: boolean };
}
