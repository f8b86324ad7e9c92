import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { ProviderKey, RuntimeProvider } from '../../daemon/gateway/config/runtime';
import { KeyPools, type Lease } from '../../daemon/gateway/resilience/key-pool';

const provider = { id: 'openai' } as RuntimeProvider;
const key = (alias: string, limits: Partial<ProviderKey> = {}): ProviderKey => ({ alias, value: `sk-${alias}`, source: 'config', ...limits });
const ask = { tokens: 10, model: 'gpt-4o-mini' };
const isLease = (value: unknown): value is Lease => typeof value === 'object' && value !== null && 'key' in value;

describe('key pools', () => {
  it('hands out free keys round-robin', () => {
    const pools = new KeyPools();
    const keys = [key('a'), key('b'), key('c')];
    const order = Array.from({ length: 6 }, () => {
      const lease = pools.acquire(provider, keys, ask, 0);
      assert.ok(isLease(lease));
      lease.release();
      return lease.key.alias;
    });
    assert.deepEqual(order, ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skips a cooling key and says when the first one frees up', () => {
    const pools = new KeyPools();
    const keys = [key('a'), key('b')];
    pools.stateOf('openai', keys[0]!).cooldownUntil = 5000;
    pools.stateOf('openai', keys[1]!).cooldownUntil = 3000;
    assert.deepEqual(pools.acquire(provider, keys, ask, 1000), { freeAt: 3000, blocked: undefined });
    const lease = pools.acquire(provider, keys, ask, 3000);
    assert.ok(isLease(lease) && lease.key.alias === 'b');
  });

  it('a model refused to a key blocks that pair only; a disabled key blocks every model; both say why', () => {
    const pools = new KeyPools();
    const keys = [key('a')];
    pools.stateOf('openai', keys[0]!).restModel('gpt-4.1', { freeAt: 60_000, status: 403, reason: 'refused access to model "gpt-4.1"' });
    const refused = pools.acquire(provider, keys, { tokens: 1, model: 'gpt-4.1' }, 0);
    assert.deepEqual(refused, { freeAt: Number.POSITIVE_INFINITY, blocked: { freeAt: 60_000, status: 403, reason: 'refused access to model "gpt-4.1"' } });
    assert.ok(isLease(pools.acquire(provider, keys, { tokens: 1, model: 'gpt-4o-mini' }, 0)), 'other models are served');
    assert.ok(isLease(pools.acquire(provider, keys, { tokens: 1, model: 'gpt-4.1' }, 60_000)), 'the rest ends');
    pools.stateOf('openai', keys[0]!).disabledReason = 'rejected by the provider (401)';
    const disabled = pools.acquire(provider, keys, ask, 0);
    assert.ok(!isLease(disabled) && disabled.blocked?.reason === 'rejected by the provider (401)');
    pools.onConfigChange();
    assert.ok(isLease(pools.acquire(provider, keys, ask, 0)), 'a config change forgives');
  });

  it('a lease released with the real token count corrects the tpm bucket', () => {
    const pools = new KeyPools();
    const keys = [key('metered', { tpm: 2000 })];
    const lease = pools.acquire(provider, keys, { tokens: 10, model: 'm' }, 0);
    assert.ok(isLease(lease));
    lease.release(5010);
    const next = pools.acquire(provider, keys, { tokens: 10, model: 'm' }, 0);
    assert.ok(!isLease(next) && next.freeAt > 90_000, JSON.stringify(next));
    lease.release(99_999);
    assert.ok(!isLease(pools.acquire(provider, keys, { tokens: 10, model: 'm' }, 0)), 'releasing twice changes nothing');
  });

  it('pools are separate: state in one (a call-scoped pool for a caller key) never reaches another', () => {
    const shared = new KeyPools();
    const perCall = new KeyPools();
    const caller: ProviderKey = { alias: 'caller:1234', value: 'sk-caller', source: 'caller' };
    perCall.stateOf('openai', caller).disabledReason = 'rejected by the provider (401)';
    assert.ok(isLease(shared.acquire(provider, [caller], ask, 0)));
  });
});
