import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { estimateComplexity, TIERS, type Tier } from '../../daemon/gateway/routing/complexity';
import { priceUsage } from '../../daemon/pricing/price';
import { HELD_OUT_PROMPTS } from './held-out';
import { LABELED_PROMPTS, type LabeledPrompt } from './prompts';

/** The README's example tiers. */
export const EXAMPLE_TIERS: Record<Tier, string> = { simple: 'gpt-4o-mini', medium: 'gpt-4.1-mini', complex: 'gpt-4.1', reasoning: 'o3' };
/** Output tokens assumed per labeled tier (answers grow with the task). */
const ASSUMED_OUTPUT: Record<Tier, number> = { simple: 100, medium: 500, complex: 1500, reasoning: 2000 };

function bodyOf(prompt: LabeledPrompt): Record<string, unknown> {
  const messages: { role: string; content: string }[] = [];
  if (prompt.system) messages.push({ role: 'system', content: prompt.system });
  (prompt.history ?? []).forEach((content, i) => messages.push({ role: i % 2 === 0 ? 'user' : 'assistant', content }));
  messages.push({ role: 'user', content: prompt.prompt });
  return {
    model: 'auto',
    messages,
    ...(prompt.tools ? { tools: Array.from({ length: prompt.tools }, (_, i) => ({ type: 'function', function: { name: `tool_${i}`, parameters: { type: 'object' } } })) } : {}),
    ...(prompt.maxTokens ? { max_tokens: prompt.maxTokens } : {}),
  };
}

export function confusion(prompts: readonly LabeledPrompt[] = LABELED_PROMPTS): { matrix: Record<Tier, Record<Tier, number>>; agree: number; misses: { prompt: LabeledPrompt; got: Tier }[] } {
  const matrix = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(TIERS.map((u) => [u, 0]))])) as Record<Tier, Record<Tier, number>>;
  const misses: { prompt: LabeledPrompt; got: Tier }[] = [];
  let agree = 0;
  for (const prompt of prompts) {
    const got = estimateComplexity('chat', bodyOf(prompt)).tier;
    matrix[prompt.tier][got]++;
    if (got === prompt.tier) agree++;
    else misses.push({ prompt, got });
  }
  return { matrix, agree, misses };
}

describe('routing: the complexity estimator on the labeled prompts', () => {
  it('agrees with the labels on at least 85 %, and never sends a complex or reasoning prompt to simple', () => {
    assert.ok(LABELED_PROMPTS.length >= 200, `${LABELED_PROMPTS.length} prompts`);
    const { matrix, agree, misses } = confusion();
    console.log(`      agreement: ${agree} of ${LABELED_PROMPTS.length} (${((100 * agree) / LABELED_PROMPTS.length).toFixed(1)} %)`);
    console.log(`      labeled \\ estimated   ${TIERS.map((t) => t.padStart(11)).join('')}`);
    for (const label of TIERS) console.log(`      ${label.padEnd(20)}${TIERS.map((t) => String(matrix[label][t]).padStart(11)).join('')}`);
    if (process.env['ROUTING_EVAL_VERBOSE']) for (const miss of misses) console.log(`        ${miss.prompt.tier} -> ${miss.got}: ${miss.prompt.prompt.slice(0, 100)}`);
    assert.equal(matrix.complex.simple + matrix.reasoning.simple, 0, 'a complex or reasoning prompt went to simple');
    assert.ok(agree / LABELED_PROMPTS.length >= 0.85, `${agree} of ${LABELED_PROMPTS.length}`);
  });

  it('on held-out prompts written after the defaults were set: reports the agreement, and still never sends complex or reasoning to simple', () => {
    const { matrix, agree, misses } = confusion(HELD_OUT_PROMPTS);
    console.log(`      held-out agreement: ${agree} of ${HELD_OUT_PROMPTS.length} (${((100 * agree) / HELD_OUT_PROMPTS.length).toFixed(1)} %)`);
    for (const label of TIERS) console.log(`      ${label.padEnd(20)}${TIERS.map((t) => String(matrix[label][t]).padStart(11)).join('')}`);
    if (process.env['ROUTING_EVAL_VERBOSE']) for (const miss of misses) console.log(`        ${miss.prompt.tier} -> ${miss.got}: ${miss.prompt.prompt.slice(0, 100)}`);
    assert.equal(matrix.complex.simple + matrix.reasoning.simple, 0, 'a complex or reasoning prompt went to simple');
  });
});

describe('routing: what routing by tier costs on the labeled prompts, against sending all to the complex tier', () => {
  it('prints both totals at the README example tiers\' table prices', () => {
    let allComplex = 0;
    let routed = 0;
    for (const prompt of LABELED_PROMPTS) {
      const body = bodyOf(prompt);
      const usage = { inputTokens: Math.round(JSON.stringify(body['messages']).length / 4), outputTokens: ASSUMED_OUTPUT[prompt.tier] };
      const price = (model: string): number => {
        const result = priceUsage(usage, { pricingProvider: 'openai', model });
        assert.ok(result.known, `${model} has a price`);
        return result.costUsd;
      };
      allComplex += price(EXAMPLE_TIERS.complex);
      routed += price(EXAMPLE_TIERS[estimateComplexity('chat', body).tier]);
    }
    console.log(`      all ${LABELED_PROMPTS.length} prompts on ${EXAMPLE_TIERS.complex}: $${allComplex.toFixed(4)}; routed by tier: $${routed.toFixed(4)} (${((100 * routed) / allComplex).toFixed(0)} %, saves ${((100 * (allComplex - routed)) / allComplex).toFixed(0)} %)`);
    assert.ok(routed < allComplex);
  });
});
