import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { decideRoute, destinationOf, isAutoRouted } from '../../daemon/gateway/routing/auto-route';
import { estimateComplexity } from '../../daemon/gateway/routing/complexity';
import { parseConfig } from '../../daemon/gateway/config/load';

const config = parseConfig(
  {
    providers: [{ id: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeys: [] }],
    routing: {
      tiers: { simple: 'openai/gpt-4o-mini', complex: ['openai/gpt-4.1', 'openai/gpt-4o'] },
      rules: [
        { when: { images: true }, tier: 'complex' },
        { name: 'long', when: { minTokens: 1000 }, maxTier: 'simple' },
      ],
    },
  },
  'test',
);
const chat = (content: unknown) => ({ model: 'auto', messages: [{ role: 'user', content }] });

describe('routing decisions', () => {
  it('a tier left unset borrows the next tier up, else the next down', () => {
    assert.deepEqual(destinationOf(config.routing.tiers, 'medium'), ['openai/gpt-4.1', 'openai/gpt-4o']);
    assert.deepEqual(destinationOf(config.routing.tiers, 'reasoning'), ['openai/gpt-4.1', 'openai/gpt-4o']);
    assert.equal(destinationOf(config.routing.tiers, 'simple'), 'openai/gpt-4o-mini');
    assert.throws(() => destinationOf({}, 'simple'), /maps no tier/);
  });

  it('rules are checked in order; the first that matches decides, with its name (or position) in the reason', () => {
    const image = decideRoute({}, { kind: 'chat', body: chat([{ type: 'image_url', image_url: { url: 'x' } }]), model: 'auto' }, config, () => undefined);
    assert.deepEqual([image.tier, image.rule, image.reason], ['complex', 'rules[0]', 'rule rules[0]: tier complex']);
    const long = decideRoute({}, { kind: 'chat', body: chat(`Prove that this holds. ${'word '.repeat(1200)}`), model: 'auto' }, config, () => undefined);
    assert.equal(long.tier, 'simple');
    assert.match(long.reason, /^rule long: at most simple; estimator: reasoning/);
  });

  it('every signal that fired is reported with its points; "auto" is routed unless an alias of that name exists', () => {
    const estimate = estimateComplexity('chat', chat('Design a distributed rate limiter with per-customer quotas, bursts, and failure handling.'));
    assert.ok(estimate.signals['design and planning']! > 0);
    assert.equal(estimate.score, Object.entries(estimate.signals).filter(([name]) => !name.startsWith('reasoning:')).reduce((sum, [, points]) => sum + points, 0));
    assert.equal(isAutoRouted(config, 'auto'), true);
    assert.equal(isAutoRouted(config, 'gpt-4o-mini'), false);
    assert.equal(estimateComplexity('messages', { model: 'auto', max_tokens: 5, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'hi' }] }).tier, 'reasoning');
  });
});
