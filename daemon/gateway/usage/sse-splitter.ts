/**
 * Cuts a byte stream of Server-Sent Events into whole events without decoding it: events are
 * separated by a blank line ("\n\n", or "\r\n\r\n" from some servers). Working on Buffers keeps
 * the streaming path free of UTF-8 round trips; only events someone wants to read get decoded.
 */
export class SseSplitter {
  private pending: Buffer | undefined;

  /** Returns the events completed by this chunk, each including its trailing blank line. */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const events: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = findEventEnd(data, start);
      if (end === -1) break;
      events.push(data.subarray(start, end));
      start = end;
    }
    this.pending = start < data.length ? data.subarray(start) : undefined;
    return events;
  }

  /** Whatever arrived after the last complete event (a stream cut short mid-event). */
  rest(): Buffer | undefined {
    return this.pending;
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Index just past the blank line that ends the event starting at `from`, or -1. */
function findEventEnd(data: Buffer, from: number): number {
  let i = data.indexOf(LF, from);
  while (i !== -1 && i + 1 < data.length) {
    const next = data[i + 1];
    if (next === LF) return i + 2;
    if (next === CR && data[i + 2] === LF) return i + 3;
    i = data.indexOf(LF, i + 1);
  }
  return -1;
}

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Decodes one event's `event:` and `data:` fields (multi-line data joined with "\n"). */
export function parseSseEvent(raw: Buffer): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.toString('utf8').split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line.charCodeAt(5) === 0x20 ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return { event, data: data.join('\n') };
}
