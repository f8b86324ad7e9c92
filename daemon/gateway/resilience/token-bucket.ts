/**
 * A token bucket as providers describe their own limits (Anthropic's docs name the algorithm;
 * OpenAI's reset headers behave the same): `perMinute` per minute, refilled continuously. The
 * gateway keeps one per key per configured limit (rpm, tpm) and sends only what the bucket
 * allows, so calls wait a little here instead of failing with 429 upstream.
 *
 * Its burst is one second of refill smaller than the provider's: calls leave here in order but
 * reach the provider with varying delay, and a burst that left conforming can arrive bunched.
 * The second of headroom absorbs up to a second of such jitter.
 */
export class TokenBucket {
  private level: number;
  private last: number;
  private readonly perMs: number;
  private readonly capacity: number;

  constructor(
    readonly perMinute: number,
    now: number,
  ) {
    this.capacity = Math.max(1, perMinute - perMinute / 60);
    this.level = this.capacity;
    this.last = now;
    this.perMs = perMinute / 60_000;
  }

  /** When `amount` will be available (now, if it already is). Asks larger than the bucket wait for a full one. */
  availableAt(now: number, amount: number): number {
    this.refill(now);
    const needed = Math.min(amount, this.capacity) - this.level;
    // The extra millisecond keeps us on the safe side of the provider's clock and rounding.
    return needed <= 0 ? now : now + Math.ceil(needed / this.perMs) + 1;
  }

  take(now: number, amount: number): void {
    this.refill(now);
    this.level -= Math.min(amount, this.capacity);
  }

  /** Corrects an estimate once the real figure is known (usage arrived). */
  adjust(delta: number): void {
    this.level = Math.min(this.capacity, this.level - delta);
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + (now - this.last) * this.perMs);
    this.last = now;
  }
}
