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
            // Not priced under this provider: at most priced by the model name alone, and saying so.
            assert.ok(!ours.known || ours.source === 'model_name', `${provider.id}/${name}`);
            continue;
          }
          assert.ok(ours.known && ours.source === 'table', `${provider.id}/${name} should be priced from the table`);
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

  it('finds a price by provider id, else base URL, else model name, and says which', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    const table = priceUsage(usage, { pricingProvider: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
    assert.ok(table.known && table.source === 'table');
    const companyProxy = priceUsage(usage, { pricingProvider: 'work', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' });
    assert.ok(companyProxy.known && companyProxy.source === 'base_url' && companyProxy.costUsd === table.costUsd);
    const localMock = priceUsage(usage, { pricingProvider: 'mock', baseUrl: 'http://127.0.0.1:9999/v1', model: 'gpt-4o-mini' });
    assert.ok(localMock.known && localMock.source === 'model_name' && localMock.costUsd === table.costUsd);
    // $3 in / $15 out per million (below the 200k-token tier).
    const claude = priceUsage({ inputTokens: 1000, outputTokens: 1000 }, { pricingProvider: 'work-claude', baseUrl: 'http://127.0.0.1:9999', model: 'claude-sonnet-4-5' });
    assert.ok(claude.known && claude.source === 'model_name' && Math.abs(claude.costUsd - 0.018) < 1e-12, JSON.stringify(claude));
    const overridden = priceUsage(usage, { pricingProvider: 'mock', model: 'gpt-4o-mini', overrides: { 'mock/gpt-4o-mini': { input: 1, output: 1 } } });
    assert.ok(overridden.known && overridden.source === 'override' && overridden.costUsd === 2);
    assert.deepEqual(priceUsage(usage, { pricingProvider: 'mock', baseUrl: 'http://127.0.0.1:9999/v1', model: 'my-finetune-7b' }), { known: false });
  });

  it('knows nothing of a model the table lacks', () => {
    assert.deepEqual(priceUsage({ inputTokens: 10, outputTokens: 10 }, { pricingProvider: 'openai', model: 'gpt-nonexistent-9' }), { known: false });
  });
});
