import { isRecord, parseJson } from '../../shared/json';

/** A field's value larger than this is not kept (usage and model names are a few hundred bytes). */
const MAX_FIELD_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Picks chosen top-level members (e.g. "model" and "usage") out of a JSON object as its bytes
 * stream past, without holding the object: a 100 MB answer is relayed to the client chunk by
 * chunk, and its usage is read here on the way through, wherever in the object it comes
 * (OpenAI puts an embeddings list's model after its data). One pass over the bytes, with only
 * the wanted members' values kept.
 */
export class TopLevelFields {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: reading a member name (between its quotes), or past it waiting for the value. */
  private key: number[] | undefined;
  private lastKey = '';
  private expectingValue = false;
  private capture: { name: string; parts: Buffer[]; size: number } | undefined;
  private readonly found = new Map<string, Buffer>();

  constructor(private readonly wanted: ReadonlySet<string>) {}

  push(chunk: Buffer): void {
    let captureFrom = this.capture ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        if (this.key && this.inString) this.key.push(byte);
        else if (this.key && !this.inString) this.endKey();
        continue;
      }
      if (this.depth === 1 && this.expectingValue && byte > 0x20 && byte !== COLON) {
        this.expectingValue = false;
        if (this.wanted.has(this.lastKey)) {
          this.capture = { name: this.lastKey, parts: [], size: 0 };
          captureFrom = i;
        }
      }
      if (byte === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && !this.capture && !this.expectingValue) this.key = [];
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (this.depth === 1 && this.capture) this.finishCapture(chunk, captureFrom, i), (captureFrom = -1);
        this.depth--;
      } else if (byte === COMMA && this.depth === 1 && this.capture) {
        this.finishCapture(chunk, captureFrom, i);
        captureFrom = -1;
      }
    }
    if (this.capture && captureFrom >= 0) this.keep(chunk.subarray(captureFrom));
  }

  /** The wanted members seen so far, parsed; a member whose value did not parse is left out. */
  result(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, bytes] of this.found) {
      const value = parseJson(bytes.toString('utf8'));
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** The object's members, for a usage reader that expects a whole body. */
  asBody(): Record<string, unknown> {
    const result = this.result();
    return isRecord(result) ? result : {};
  }

  private endKey(): void {
    this.lastKey = this.key!.length <= 64 ? Buffer.from(this.key!).toString('utf8') : '';
    this.key = undefined;
    this.expectingValue = true;
  }

  private keep(part: Buffer): void {
    const capture = this.capture!;
    if (capture.size + part.length > MAX_FIELD_BYTES) {
      this.capture = undefined;
      return;
    }
    // Copied: the chunk's memory belongs to the socket and may be reused once relayed.
    capture.parts.push(Buffer.from(part));
    capture.size += part.length;
  }

  private finishCapture(chunk: Buffer, from: number, to: number): void {
    if (!this.capture) return;
    if (from >= 0) this.keep(chunk.subarray(from, to));
    if (this.capture) this.found.set(this.capture.name, Buffer.concat(this.capture.parts));
    this.capture = undefined;
  }
}
