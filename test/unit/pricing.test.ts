import assert from 'node:assert/strict';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { describe, it } from 'mocha';
import { priceUsage } from '../../daemon/pricing/price';

const PROVIDERS = ['openai', 'anthropic', 'google', 'groq', 'mistral', 'deepseek', 'openrouter', 'together', 'x-ai', 'fireworks', 'azure', 'aws', 'cohere', 'perplexity', 'cerebras'];

describe('pricing', () => {
  it('agrees with calcPrice for every model in the table, on its fast path and off it', () => {
    const usages = [
      { inputTokens: 1_234, outputTokens: 567 },
      { inputTokens: 250_000, outputTokens: 40_000, cacheReadTokens: 100_000 },
      { inputTokens: 9_000, outputTokens: 10, cacheReadTokens: 5_000, cacheWriteTokens: 3_000 },
    ];
    let compared = 0;
    for (const providerId of PROVIDERS) {
      const provider = findProvider({ providerId });
      if (!provider) continue;
      for (const model of provider.models) {
        const name = model.id;
        for (const usage of usages) {
          const ours = priceUsage(usage, { pricingProvider: provider.id, model: name });
          const theirs = calcPrice(
            { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cache_read_tokens: usage.cacheReadTokens ?? 0, cache_write_tokens: usage.cacheWriteTokens ?? 0 },
            name,
            { providerId: provider.id },
          );
          if (!theirs) {
            assert.equal(ours.known, false, `${provider.id}/${name}`);
            continue;
          }
          assert.ok(ours.known, `${provider.id}/${name} should be priced`);
          const tolerance = 1e-9 * Math.max(1, theirs.total_price);
          assert.ok(Math.abs(ours.costUsd - theirs.total_price) <= tolerance, `${provider.id}/${name} ${JSON.stringify(usage)}: ${ours.costUsd} vs ${theirs.total_price}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 1000, `compared ${compared} prices`);
  });

  it('applies overrides keyed by provider/model or model, with cache rates falling back to input', () => {
    const overrides = { 'local/my-model': { input: 2, output: 4 }, 'other-model': { input: 1, output: 1, cacheRead: 0.5 } };
    const a = priceUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 500_000 }, { pricingProvider: 'local', model: 'my-model', overrides });
    assert.deepEqual(a, { known: true, costUsd: 6, inputUsd: 2, outputUsd: 4, source: 'override' });
    const b = priceUsage({ inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 500_000 }, { pricingProvider: 'x', model: 'other-model', overrides });
    assert.equal(b.known && b.costUsd, 0.75);
  });

  it('knows nothing of a model the table lacks', () => {
    assert.deepEqual(priceUsage({ inputTokens: 10, outputTokens: 10 }, { pricingProvider: 'openai', model: 'gpt-nonexistent-9' }), { known: false });
  });
});
