import assert from 'node:assert/strict';
import { encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import { decodeJsEscapes, decodePythonEscapes, splitBraceTemplate, splitMustache } from '../../daemon/lsp/extract/strings';
import { readFrontMatter } from '../../daemon/lsp/prompt-files/front-matter';
import { pricingProviderForModel } from '../../daemon/pricing/models';
import { chatFramingTokens, chatPrimingTokens, countChatTokens, countTextTokens } from '../../daemon/pricing/tokens';

/** The pure pieces under the hint server: literal decoding, templates, front matter, provider rule, chat counting. */
describe('hint server: building blocks', () => {
  it('decodes JavaScript escapes as the runtime would', () => {
    assert.equal(decodeJsEscapes(String.raw`a\nb\t\'c\' \u00e9 \u{1F600} \x41 \\ \$ \` line\
continued`), "a\nb\t'c' é 😀 A \\ $ ` linecontinued");
  });

  it('decodes Python escapes, keeping unknown ones as Python does', () => {
    assert.equal(decodePythonEscapes(String.raw`a\nb\tc \x41 \101 \u00e9 \U0001F600 \d \\ \"`), 'a\nb\tc A A é 😀 \\d \\ "');
  });

  it('treats {name} in templates as holes and {{ }} as braces', () => {
    assert.deepEqual(splitBraceTemplate([{ kind: 'text', text: 'Hi {name}, {{literal}} {x}!' }]), [
      { kind: 'text', text: 'Hi ' },
      { kind: 'hole', label: '{name}' },
      { kind: 'text', text: ', {literal} ' },
      { kind: 'hole', label: '{x}' },
      { kind: 'text', text: '!' },
    ]);
    assert.deepEqual(splitMustache('Hello {{ name }}{% if x %}!'), [
      { kind: 'text', text: 'Hello ' },
      { kind: 'hole', label: '{{ name }}' },
      { kind: 'hole', label: '{% if x %}' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('reads the model and output cap from Prompty and Dotprompt front matter', () => {
    const prompty = '---\nname: x\nmodel:\n  api: chat\n  configuration:\n    azure_deployment: gpt-4o\n  parameters:\n    max_tokens: 99\n---\nsystem:\nHi';
    assert.deepEqual(readFrontMatter(prompty), { model: 'gpt-4o', maxOutputTokens: 99, bodyStart: prompty.indexOf('system:'), closingLineStart: prompty.lastIndexOf('---') });
    assert.equal(readFrontMatter('---\nmodel: "googleai/gemini-2.5-flash" # comment\n---\nbody')?.model, 'googleai/gemini-2.5-flash');
    assert.equal(readFrontMatter('no front matter'), undefined);
  });

  it('infers the price-table provider from a model name', () => {
    const cases: Array<[string, string | undefined]> = [
      ['gpt-4o', 'openai'],
      ['o3-mini', 'openai'],
      ['o4-mini', 'openai'],
      ['text-embedding-3-small', 'openai'],
      ['claude-sonnet-4-5', 'anthropic'],
      ['gemini-2.5-flash', 'google'],
      ['openai/gpt-4o', 'openai'],
      ['googleai/gemini-2.5-flash', 'google'],
      ['xai/grok-3', 'x-ai'],
      ['mistral-large-latest', 'mistral'],
      ['llama-3.1-8b', undefined],
      ['omni', undefined],
    ];
    for (const [model, provider] of cases) assert.equal(pricingProviderForModel(model), provider, model);
  });

  it('per-message chat counts add up to countChatTokens and to gpt-tokenizer encodeChat', () => {
    const messages = [
      { role: 'system', content: 'You are terse.\n\n' },
      { role: 'user', content: ' leading space and trailing newline\n' },
      { role: 'assistant', content: '' },
      { role: 'developer', content: 'é🙂 {x}' },
    ];
    for (const model of ['gpt-4o', 'gpt-4', 'claude-sonnet-4-5']) {
      const summed = messages.reduce((sum, message) => sum + chatFramingTokens(message.role, model) + countTextTokens(message.content, model).tokens, chatPrimingTokens(model));
      assert.equal(summed, countChatTokens(messages, model).tokens, model);
    }
    const chat = messages.map((message) => ({ role: (message.role === 'developer' ? 'user' : message.role) as 'system' | 'user' | 'assistant', content: message.content }));
    assert.equal(countChatTokens(messages, 'gpt-4o').tokens, encodeChat(chat, 'gpt-4o').length);
  });
});
