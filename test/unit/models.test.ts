import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { isReasoningModel } from '../../daemon/pricing/models';

/**
 * Which models think before they answer: their hidden reasoning is billed as output, so the hint
 * server adds typical reasoning tokens to a call without max_tokens, and to a cheaper alternative
 * that reasons. A name written with a vendor prefix counts the same.
 */
describe('reasoning models', () => {
  const table: Array<[string, boolean]> = [
    ['o1', true],
    ['o3-mini', true],
    ['o4-mini', true],
    ['openai/o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-mini', true],
    ['gpt-5-nano', true],
    ['deepseek-reasoner', true],
    ['gpt-5-chat-latest', false],
    ['gpt-4o', false],
    ['gpt-4.1-mini', false],
    ['claude-sonnet-4-5', false],
    ['omni-moderation-latest', false],
    ['o', false],
  ];
  for (const [model, reasons] of table) {
    it(`${model}: ${reasons ? 'reasons' : 'answers directly'}`, () => assert.equal(isReasoningModel(model), reasons));
  }
});
