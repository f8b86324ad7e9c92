import type { ProviderKey, RuntimeProvider } from '../config/runtime';
import { KeyState } from './key-state';

/** A key chosen for one attempt; release() must be called when the attempt ends. */
export interface Lease {
  key: ProviderKey;
  state: KeyState;
  release(): void;
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
    for (const state of this.states.values()) state.disabledReason = undefined;
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

  acquire(provider: RuntimeProvider, keys: readonly ProviderKey[], tokens: number, now = Date.now()): Lease | { freeAt: number } {
    let freeAt = Number.POSITIVE_INFINITY;
    const start = this.turn.get(provider.id) ?? 0;
    for (let i = 0; i < keys.length; i++) {
      const index = (start + i) % keys.length;
      const key = keys[index]!;
      const state = this.stateOf(provider.id, key, now);
      const at = state.availableAt(now, tokens);
      if (at <= now) {
        this.turn.set(provider.id, index + 1);
        state.take(now, tokens);
        let released = false;
        return {
          key,
          state,
          release: () => {
            if (!released) state.release();
            released = true;
          },
        };
      }
      freeAt = Math.min(freeAt, at);
    }
    return { freeAt };
  }
}
