import type { IncomingHttpHeaders } from 'node:http';
import { header, parseDuration } from './cooldown';
import { TokenBucket } from './token-bucket';

/** Why a key (or a key for one model) may not serve now, for the refusal the caller gets. */
export interface Unavailable {
  /** When it may serve again; Infinity until the config changes. */
  freeAt: number;
  reason: string;
  /** The provider's own status when it refused the key access to a model (403/404). */
  status?: number | undefined;
}

/**
 * What the gateway knows about one key: whether it is resting after a 429, disabled after a
 * credential failure, which models the provider refused it, how many calls it has in flight,
 * what the provider's own headers say is left of its limits, and the configured rpm/tpm buckets.
 */
export class KeyState {
  cooldownUntil = 0;
  disabledReason: string | undefined;
  inFlight = 0;
  /** model → until when this key may not be used for it, and why. */
  private readonly modelRests = new Map<string, Unavailable>();
  private requestsLeft: { remaining: number; resetAt: number } | undefined;
  private rpm: TokenBucket | undefined;
  private tpm: TokenBucket | undefined;

  configureLimits(limits: { rpm?: number | undefined; tpm?: number | undefined }, now: number): void {
    if (limits.rpm !== this.rpm?.perMinute) this.rpm = limits.rpm ? new TokenBucket(limits.rpm, now) : undefined;
    if (limits.tpm !== this.tpm?.perMinute) this.tpm = limits.tpm ? new TokenBucket(limits.tpm, now) : undefined;
  }

  /** The earliest time this key may take a call of `tokens` estimated tokens for `model`; Infinity when disabled. */
  availableAt(now: number, tokens: number, model: string): number {
    if (this.disabledReason) return Number.POSITIVE_INFINITY;
    const rest = this.modelRest(model, now);
    let at = Math.max(now, this.cooldownUntil, rest?.freeAt ?? 0);
    const learned = this.requestsLeft;
    if (learned && learned.resetAt > now && learned.remaining - this.inFlight <= 0) at = Math.max(at, learned.resetAt);
    if (this.rpm) at = Math.max(at, this.rpm.availableAt(now, 1));
    if (this.tpm) at = Math.max(at, this.tpm.availableAt(now, tokens));
    return at;
  }

  /** Why this key cannot serve `model` at all for now (disabled, or refused that model), if so. */
  blocked(model: string, now: number): Unavailable | undefined {
    if (this.disabledReason) return { freeAt: Number.POSITIVE_INFINITY, reason: this.disabledReason };
    return this.modelRest(model, now);
  }

  take(now: number, tokens: number): void {
    this.inFlight++;
    this.rpm?.take(now, 1);
    this.tpm?.take(now, tokens);
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Corrects the tokens-per-minute bucket with the real token count of a finished call. */
  settleTokens(estimated: number, actual: number): void {
    this.tpm?.adjust(actual - estimated);
  }

  restModel(model: string, rest: Unavailable): void {
    this.modelRests.set(model, rest);
  }

  /** A config change may have fixed a bad key or granted access: every refusal is forgotten. */
  forgive(): void {
    this.disabledReason = undefined;
    this.modelRests.clear();
  }

  /**
   * Learns the provider's view of this key's request limit from any response
   * (x-ratelimit-remaining-requests / anthropic-ratelimit-requests-remaining and their resets),
   * so a key the provider says is spent is not used again before its reset.
   */
  learn(headers: IncomingHttpHeaders, now: number): void {
    const openaiRemaining = header(headers, 'x-ratelimit-remaining-requests');
    if (openaiRemaining !== undefined) {
      const reset = parseDuration(header(headers, 'x-ratelimit-reset-requests') ?? '');
      if (reset !== undefined) this.requestsLeft = { remaining: Number(openaiRemaining), resetAt: now + reset };
      return;
    }
    const anthropicRemaining = header(headers, 'anthropic-ratelimit-requests-remaining');
    const anthropicReset = Date.parse(header(headers, 'anthropic-ratelimit-requests-reset') ?? '');
    if (anthropicRemaining !== undefined && Number.isFinite(anthropicReset)) {
      this.requestsLeft = { remaining: Number(anthropicRemaining), resetAt: anthropicReset };
    }
  }

  private modelRest(model: string, now: number): Unavailable | undefined {
    if (this.modelRests.size === 0) return undefined;
    const rest = this.modelRests.get(model);
    if (rest && rest.freeAt <= now) {
      this.modelRests.delete(model);
      return undefined;
    }
    return rest;
  }
}
