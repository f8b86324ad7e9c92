import type { ExpectedPrompt } from './expected';

/**
 * The prompts of test/fixtures/real-code, written the way application code writes them, as a
 * person reads them: which model each call really uses (the literal fallback of an environment
 * variable, a constant, a default parameter, the call that sends a prompt variable) and what
 * each message carries once helpers (of the file, or imported) are followed. Unknown spans
 * (parameters, run-time values) are left out: the hint is then a lower bound.
 */

const REVIEW_SYSTEM = 'You are a strict code reviewer. Flag bugs first, then risky changes, then style.';
const TRIAGE_SYSTEM = 'Sort the ticket into billing, bug or question. Reply with one word.';
const PY_REVIEW_PROMPT = 'You review pull requests for a payments team. Be brief and concrete.';

export const REAL_CODE_PROMPTS: Record<string, { languageId: string; prompts: Array<ExpectedPrompt & { display: string }> }> = {
  'review.ts': {
    languageId: 'typescript',
    prompts: [
      {
        // model: process.env.REVIEW_MODEL ?? 'gpt-4o'; messages from an arrow helper that calls a function helper.
        id: 'env-nullish',
        format: 'chat',
        messages: [
          { role: 'system', content: REVIEW_SYSTEM },
          { role: 'user', content: 'Review this diff:\n' },
        ],
        lowerBound: true,
        pricingProvider: 'openai',
        model: 'gpt-4o',
        display: 'gpt-4o',
      },
      {
        // model: process.env.TRIAGE_MODEL || FALLBACK_MODEL; messages from a helper imported from ./prompts.
        id: 'env-or-imported',
        format: 'chat',
        messages: [
          { role: 'system', content: TRIAGE_SYSTEM },
          { role: 'user', content: 'Ticket:\n' },
        ],
        lowerBound: true,
        pricingProvider: 'openai',
        model: 'gpt-4.1-mini',
        display: 'gpt-4.1-mini',
      },
      {
        // model = 'claude-sonnet-4-5' as a default parameter; system from a helper; the user text is a parameter.
        id: 'default-param',
        format: 'chat',
        messages: [
          { role: 'system', content: REVIEW_SYSTEM },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        maxOutput: 300,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-sonnet-4-5',
        display: 'claude-sonnet-4-5',
      },
      {
        // A reasoning model without max_tokens: a typical reply plus typical reasoning.
        id: 'reasoning',
        format: 'chat',
        messages: [{ role: 'user', content: 'Plan the steps to reach this goal: ' }],
        lowerBound: true,
        reasoning: true,
        pricingProvider: 'openai',
        model: 'o4-mini',
        display: 'o4-mini',
      },
      {
        // The model is a parameter without a default: truly unknown, priced with the default and said so.
        id: 'unknown-model',
        format: 'chat',
        messages: [{ role: 'user', content: 'Answer briefly: ' }],
        lowerBound: true,
        defaultModel: true,
        pricingProvider: 'openai',
        model: 'gpt-4o-mini',
        display: 'gpt-4o-mini',
      },
      {
        // A prompt variable no call sends, on a line wider than the editor: its hint goes before the code.
        id: 'long-line',
        format: 'text',
        messages: [
          {
            role: '',
            content:
              'You are the assistant of a large support team. You answer customer questions about invoices, refunds, delivery times and account settings, and you never promise what the policy does not allow.',
          },
        ],
        defaultModel: true,
        pricingProvider: 'openai',
        model: 'gpt-4o-mini',
        display: 'gpt-4o-mini',
      },
    ],
  },
  'review_app.py': {
    languageId: 'python',
    prompts: [
      {
        // A prompt variable priced with the model of the call that sends it (review(): MODEL via os.environ.get).
        id: 'py-variable',
        format: 'text',
        messages: [{ role: '', content: PY_REVIEW_PROMPT }],
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-sonnet-4-5',
        display: 'claude-sonnet-4-5',
      },
      {
        // model=os.environ.get("REVIEW_MODEL", MODEL) with MODEL a module constant.
        id: 'py-environ-get',
        format: 'chat',
        messages: [
          { role: 'system', content: PY_REVIEW_PROMPT },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        maxOutput: 500,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-sonnet-4-5',
        display: 'claude-sonnet-4-5',
      },
      {
        // model=os.getenv(…, "gpt-4o-mini"); a system prompt from one helper, messages spread from another.
        id: 'py-getenv-helpers',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You help the  team. Answer in plain English.' },
          { role: 'user', content: 'Question: ' },
        ],
        lowerBound: true,
        pricingProvider: 'openai',
        model: 'gpt-4o-mini',
        display: 'gpt-4o-mini',
      },
      {
        // messages from a helper imported from a sibling module (from .prompts import …).
        id: 'py-imported',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You label support tickets. Reply with one word.' },
          { role: 'user', content: 'Ticket: ' },
        ],
        lowerBound: true,
        pricingProvider: 'openai',
        model: 'gpt-4.1-nano',
        display: 'gpt-4.1-nano',
      },
    ],
  },
};
