import { pricingProviderForModel } from '../../pricing/models';
import type { Value } from '../extract/value';
import { MAX_RESOLVE_DEPTH } from '../limits';
import { literalString, resolve, type ResolveContext } from './resolve';
import type { ModelChoice } from './site';

/**
 * The model a call uses, as far as the file says: a string literal, a constant of the file (a
 * module constant, a default parameter), an AI SDK provider call (`openai('gpt-4o')`), or the
 * literal fallback of a value set at run time (`process.env.MODEL ?? 'gpt-4o'`,
 * `os.environ.get("MODEL", DEFAULT)`): the code's own answer when the environment says nothing.
 * Anything else falls back to the configured default model, and says so.
 */
export function chooseModel(value: Value | undefined, context: ResolveContext, defaultModel: string): ModelChoice {
  return modelOf(value, context, 0) ?? named(defaultModel, 'default');
}

const ENV_LOOKUP = /(^|\.)(environ\.get|getenv)$/;

function modelOf(value: Value | undefined, context: ResolveContext, depth: number): ModelChoice | undefined {
  if (!value || depth > MAX_RESOLVE_DEPTH) return undefined;
  const resolved = resolve(value, context);
  const source = value.kind === 'ref' ? 'constant' : 'literal';
  if (resolved?.kind === 'fallback') return firstKnown(resolved.options, context, depth);
  if (resolved?.kind === 'call') {
    // os.environ.get(name, default) / os.getenv(name, default): the default, when the code gives one.
    if (ENV_LOOKUP.test(resolved.callee)) return asFallback(modelOf(resolved.args[1], context, depth + 1));
    return providerCall(resolved, context, source);
  }
  const name = resolved?.kind === 'string' ? literalString(resolved, context) : undefined;
  return name ? named(name, source) : undefined;
}

/** `a ?? b ?? 'x'`: a leading literal is what runs; a literal after a run-time value is its fallback. */
function firstKnown(options: Value[], context: ResolveContext, depth: number): ModelChoice | undefined {
  for (const [index, option] of options.entries()) {
    const choice = modelOf(option, context, depth + 1);
    if (choice) return index === 0 ? choice : asFallback(choice);
  }
  return undefined;
}

function asFallback(choice: ModelChoice | undefined): ModelChoice | undefined {
  return choice && { ...choice, source: 'fallback' };
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
