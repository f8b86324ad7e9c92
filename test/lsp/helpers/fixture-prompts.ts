import type { ExpectedPrompt } from './expected';

/**
 * The prompts in test/fixtures/prompts, as a person reads them: the text each message carries
 * once escapes are decoded and names resolved, with unknown spans (template holes, f-string
 * fields, parameters) left out. The tests compare the server's hints against these.
 */

const MINI = { pricingProvider: 'openai', model: 'gpt-4o-mini' } as const;
const GPT4O = { pricingProvider: 'openai', model: 'gpt-4o' } as const;
/** Priced with the default model because the code names none: the hint says so. */
const DEFAULT = { ...MINI, defaultModel: true } as const;
const SYSTEM_PROMPT = 'You are a meticulous assistant. Answer in two sentences at most.';
const PY_SYSTEM_PROMPT = 'You are a senior Python reviewer.\nBe direct, and quote the line you comment on.';

export const FIXTURE_PROMPTS: Record<string, { languageId: string; prompts: ExpectedPrompt[] }> = {
  'openai.ts': {
    languageId: 'typescript',
    prompts: [
      // Prompt-named variables are plain text, priced with the model of the call that sends them
      // (templateChat's MODEL), else with the default model.
      { id: 'system-prompt', format: 'text', messages: [{ role: '', content: SYSTEM_PROMPT }], ...GPT4O },
      {
        id: 'user-prompt-template',
        format: 'text',
        messages: [{ role: '', content: 'Summarize the following support ticket for an engineer who has never seen it:\n' }],
        lowerBound: true,
        ...DEFAULT,
      },
      { id: 'review-instructions', format: 'text', messages: [{ role: '', content: 'Review the diff. Point out bugs first, style last.' }], ...DEFAULT },
      {
        id: 'chat-literal',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Write a haiku about the sea.\nMake it calm.' },
        ],
        maxOutput: 120,
        ...GPT4O,
      },
      {
        id: 'chat-template',
        format: 'chat',
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: 'Classify this ticket as bug, question or feature request, then explain why: ' },
        ],
        lowerBound: true,
        maxOutput: 400,
        ...GPT4O,
      },
      { id: 'chat-stream', format: 'chat', messages: [{ role: 'user', content: 'Count from one to ten in French.' }], pricingProvider: 'openai', model: 'gpt-4.1-mini' },
      // The image block costs tokens the server cannot count: a lower bound.
      { id: 'chat-image', format: 'chat', messages: [{ role: 'user', content: 'Describe this picture in one line.' }], lowerBound: true, ...MINI },
      {
        id: 'responses',
        format: 'chat',
        messages: [
          { role: 'system', content: 'Reply like a pirate.' },
          { role: 'user', content: 'How do I reverse a list in Python?' },
        ],
        maxOutput: 200,
        ...MINI,
      },
      {
        id: 'embeddings',
        format: 'text',
        messages: [
          { role: '', content: 'first document' },
          { role: '', content: 'second document' },
        ],
        pricingProvider: 'openai',
        model: 'text-embedding-3-small',
        noOutput: true,
      },
    ],
  },
  'anthropic.ts': {
    languageId: 'typescript',
    prompts: [
      {
        id: 'anthropic-create',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You are a careful reviewer of legal contracts.' },
          { role: 'user', content: 'List the three riskiest clauses.' },
        ],
        maxOutput: 1024,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-sonnet-4-5',
      },
      {
        id: 'anthropic-stream',
        format: 'chat',
        messages: [{ role: 'user', content: 'Translate to German:\n' }],
        lowerBound: true,
        maxOutput: 256,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-3-5-haiku-latest',
      },
    ],
  },
  'vercel.tsx': {
    languageId: 'typescriptreact',
    prompts: [
      {
        id: 'ai-generate',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You are a stand-up comedian.' },
          { role: 'user', content: 'Tell me a joke about TypeScript generics.' },
        ],
        maxOutput: 300,
        ...GPT4O,
      },
      {
        id: 'ai-stream',
        format: 'chat',
        messages: [{ role: 'user', content: 'Plan a three-day trip to Lisbon.' }],
        lowerBound: true,
        maxOutput: 800,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-sonnet-4-5',
      },
    ],
  },
  'langchain.js': {
    languageId: 'javascript',
    prompts: [
      {
        id: 'lc-chat',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You are a translator from  to . Keep the tone.' },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        ...DEFAULT,
      },
      { id: 'lc-template', format: 'text', messages: [{ role: '', content: 'Tell me a  joke about . Use {braces} literally.' }], lowerBound: true, ...DEFAULT },
      {
        id: 'lc-history',
        format: 'chat',
        messages: [
          { role: 'system', content: 'Answer briefly.' },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        ...DEFAULT,
      },
      { id: 'js-field', format: 'text', messages: [{ role: '', content: 'You are an agent that plans before acting.' }], ...DEFAULT },
    ],
  },
  'openai_app.py': {
    languageId: 'python',
    prompts: [
      { id: 'py-system-prompt', format: 'text', messages: [{ role: '', content: PY_SYSTEM_PROMPT }], ...GPT4O },
      { id: 'py-fprompt', format: 'text', messages: [{ role: '', content: 'Summarize in  words:\n' }], lowerBound: true, ...DEFAULT },
      {
        id: 'py-chat',
        format: 'chat',
        messages: [
          { role: 'system', content: PY_SYSTEM_PROMPT },
          { role: 'user', content: 'Review this code and list every bug you can find in it:\n' },
        ],
        lowerBound: true,
        maxOutput: 300,
        ...GPT4O,
      },
      { id: 'py-literal', format: 'chat', messages: [{ role: 'user', content: 'Say "hello" in Japanese.\tThanks!' }], ...MINI },
      {
        id: 'py-anthropic',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You answer questions about astronomy.' },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        maxOutput: 512,
        approximate: true,
        pricingProvider: 'anthropic',
        model: 'claude-3-5-haiku-latest',
      },
      {
        id: 'py-lc-chat',
        format: 'chat',
        messages: [
          { role: 'system', content: 'You are a .' },
          { role: 'user', content: '' },
        ],
        lowerBound: true,
        ...DEFAULT,
      },
      { id: 'py-lc-template', format: 'text', messages: [{ role: '', content: 'Write a limerick about .' }], lowerBound: true, ...DEFAULT },
    ],
  },
};
