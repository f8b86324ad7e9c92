import type { ProviderKey, RuntimeProvider } from '../config/runtime';
import { KeyState, type Unavailable } from './key-state';

/** A key chosen for one attempt; release() must be called when the attempt ends. */
export interface Lease {
  key: ProviderKey;
  state: KeyState;
  /** Ends the lease; with the call's real token count, corrects the key's tokens-per-minute bucket. */
  release(actualTokens?: number): void;
}

/** No key may serve now: when the first frees up (Infinity when every key is blocked), and why the blocked ones are. */
export interface NoFreeKey {
  freeAt: number;
  /** The refusal of the first key that is blocked outright (disabled, or refused the model). */
  blocked: Unavailable | undefined;
}

/**
 * The state of every key the gateway has used, across config reloads (keyed by provider id and
 * key alias), and the choice of key for each attempt: round-robin among the keys that are free
 * now, or, when none is, the time the first one frees up.
 */
export class KeyPools {
  private readonly states = new Map<string, KeyState>();
  private readonly turn = new Map<string, number>();

  /** A config change may have fixed a bad key: every key gets another chance. */
  onConfigChange(): void {
    for (const state of this.states.values()) state.forgive();
  }

  /** Keys that cannot take a call now (resting after a 429, or disabled), per provider id, for /metrics. */
  unavailable(now = Date.now()): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, state] of this.states) {
      if (state.availableAt(now, 0, '') <= now) continue;
      const provider = id.slice(0, id.indexOf('\u0000'));
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
    }
    return counts;
  }

  stateOf(providerId: string, key: ProviderKey, now = Date.now()): KeyState {
    const id = `${providerId}\u0000${key.alias}`;
    let state = this.states.get(id);
    if (!state) {
      state = new KeyState();
      this.states.set(id, state);
    }
    state.configureLimits(key, now);
    return state;
  }

  acquire(provider: RuntimeProvider, keys: readonly ProviderKey[], request: { tokens: number; model: string }, now = Date.now()): Lease | NoFreeKey {
    let freeAt = Number.POSITIVE_INFINITY;
    let blocked: Unavailable | undefined;
    const start = this.turn.get(provider.id) ?? 0;
    for (let i = 0; i < keys.length; i++) {
      const index = (start + i) % keys.length;
      const key = keys[index]!;
      const state = this.stateOf(provider.id, key, now);
      const at = state.availableAt(now, request.tokens, request.model);
      if (at <= now) {
        this.turn.set(provider.id, index + 1);
        state.take(now, request.tokens);
        return leaseOf(key, state, request.tokens);
      }
      // A blocked key (disabled, or refused this model) frees up only when the config changes or
      // its rest ends: waiting for it is pointless, the caller should hear why instead.
      const refusal = state.blocked(request.model, now);
      if (refusal) blocked ??= refusal;
      else freeAt = Math.min(freeAt, at);
    }
    return { freeAt, blocked };
  }
}

function leaseOf(key: ProviderKey, state: KeyState, estimatedTokens: number): Lease {
  let released = false;
  return {
    key,
    state,
    release: (actualTokens) => {
      if (released) return;
      released = true;
      state.release();
      if (actualTokens !== undefined) state.settleTokens(estimatedTokens, actualTokens);
    },
  };
}
