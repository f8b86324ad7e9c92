import { pricingProviderForModel } from '../../pricing/models';
import type { Value } from '../extract/value';
import { literalString, resolve, type ResolveContext } from './resolve';
import type { ModelChoice } from './site';

/**
 * The model a call uses, as far as the file says: a string literal, a constant of the file, or
 * an AI SDK provider call (`openai('gpt-4o')`, `anthropic.messages('claude-…')`). Anything else
 * (a parameter, an environment variable) falls back to the configured default model.
 */
export function chooseModel(value: Value | undefined, context: ResolveContext, defaultModel: string): ModelChoice {
  const resolved = resolve(value, context);
  const source = value?.kind === 'ref' ? 'constant' : 'literal';
  if (resolved?.kind === 'call') {
    const fromProvider = providerCall(resolved, context, source);
    if (fromProvider) return fromProvider;
  }
  const name = resolved?.kind === 'string' ? literalString(resolved, context) : undefined;
  if (name) return named(name, source);
  return named(defaultModel, 'default');
}

export function named(display: string, source: ModelChoice['source']): ModelChoice {
  const slash = display.indexOf('/');
  return { display, model: slash > 0 ? display.slice(slash + 1) : display, pricingProvider: pricingProviderForModel(display), source };
}

/** `openai('gpt-4o')`, `openai.chat('gpt-4o')`, `createAnthropic({…})('claude-…')` → vendor + model. */
function providerCall(call: Extract<Value, { kind: 'call' }>, context: ResolveContext, source: ModelChoice['source']): ModelChoice | undefined {
  const model = literalString(call.args[0], context);
  if (!model) return undefined;
  const vendor = /^(?:create)?([A-Za-z]+)/.exec(call.callee)?.[1]?.toLowerCase();
  if (!vendor || model.includes('/')) return named(model, source);
  // A vendor the price table does not know (a custom provider): judge by the model name.
  const viaVendor = pricingProviderForModel(`${vendor}/${model}`);
  const pricingProvider = viaVendor && KNOWN_VENDORS.has(viaVendor) ? viaVendor : pricingProviderForModel(model);
  return { display: model, model, pricingProvider, source };
}

const KNOWN_VENDORS = new Set(['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'groq', 'x-ai', 'cohere', 'azure']);
