import type { CallItem } from '../extract/items';
import type { Value } from '../extract/value';
import { chatMessages, singleMessage, type MessageList } from './messages';
import { arrayItems, prop, property, resolve, type ResolveContext } from './resolve';
import type { Message, SiteFormat } from './site';

/**
 * How each SDK call carries its prompt. A builder reads the call's arguments and returns the
 * messages plus the values that name the model and the output cap; patterns.ts does the rest
 * (model choice, tag, counting) the same way for every SDK.
 */

export interface CallShape {
  format: SiteFormat;
  messages: Message[];
  open: boolean;
  model: Value | undefined;
  maxOutput: Value | undefined;
  /** Where a literal x-tollgate-tag header may be: each is an object of headers. */
  headers: Array<Value | undefined>;
}

export type ShapeBuilder = (call: CallItem, context: ResolveContext) => CallShape;

/** JavaScript passes one options object; Python passes keyword arguments. */
export function options(call: CallItem): Value | undefined {
  return call.keywords ? { kind: 'object', entries: call.keywords } : call.args[0];
}

/** Where request options put extra headers: JS 2nd argument `{headers}`, Python `extra_headers=`. */
function headerObjects(call: CallItem, context: ResolveContext): Array<Value | undefined> {
  const opts = options(call);
  return [prop(call.keywords ? undefined : call.args[1], 'headers', context), prop(opts, 'extra_headers', context), prop(opts, 'headers', context)];
}

function shape(call: CallItem, context: ResolveContext, list: MessageList, rest: Pick<CallShape, 'model' | 'maxOutput'>, format: SiteFormat = 'chat'): CallShape {
  return { format, messages: list.messages, open: list.open, ...rest, headers: headerObjects(call, context) };
}

/** A property that must be read; 'unknown' (hidden behind a spread) makes the list open. */
function messagesProperty(opts: Value | undefined, key: string, context: ResolveContext): MessageList {
  const value = property(opts, key, context);
  if (value === 'unknown') return { messages: [], open: true };
  return chatMessages(value, context);
}

/** A system prompt (Anthropic `system`, Responses `instructions`, AI SDK `system`) as a first message. */
function withSystem(role: string, value: Value | undefined, list: MessageList, context: ResolveContext): MessageList {
  if (value === undefined) return list;
  return { messages: [singleMessage(role, value, context), ...list.messages], open: list.open };
}

export const openaiChat: ShapeBuilder = (call, context) => {
  const opts = options(call);
  const maxOutput = prop(opts, 'max_completion_tokens', context) ?? prop(opts, 'max_tokens', context);
  return shape(call, context, messagesProperty(opts, 'messages', context), { model: prop(opts, 'model', context), maxOutput });
};

/** Responses API: `input` is a string (one user message) or a list of messages; `instructions` is the system prompt. */
export const openaiResponses: ShapeBuilder = (call, context) => {
  const opts = options(call);
  const input = prop(opts, 'input', context);
  const resolved = resolve(input, context);
  const list = resolved?.kind === 'string' || resolved?.kind === 'ref' ? { messages: [singleMessage('user', input as Value, context)], open: false } : chatMessages(input, context);
  const all = withSystem('system', prop(opts, 'instructions', context), list, context);
  return shape(call, context, all, { model: prop(opts, 'model', context), maxOutput: prop(opts, 'max_output_tokens', context) });
};

/** Embeddings: each input string is counted as plain text; there is no output. */
export const openaiEmbeddings: ShapeBuilder = (call, context) => {
  const opts = options(call);
  const input = prop(opts, 'input', context);
  const items = arrayItems(input, context);
  const values = items ? items.items : input === undefined ? [] : [input];
  const messages = values.map((value) => singleMessage('', value, context));
  return shape(call, context, { messages, open: items?.open ?? false }, { model: prop(opts, 'model', context), maxOutput: undefined }, 'text');
};

export const anthropicMessages: ShapeBuilder = (call, context) => {
  const opts = options(call);
  const list = withSystem('system', prop(opts, 'system', context), messagesProperty(opts, 'messages', context), context);
  return shape(call, context, list, { model: prop(opts, 'model', context), maxOutput: prop(opts, 'max_tokens', context) });
};

/** Vercel AI SDK generateText/streamText/generateObject/streamObject({model, system, prompt | messages}). */
export const vercelGenerate: ShapeBuilder = (call, context) => {
  const opts = options(call);
  const prompt = prop(opts, 'prompt', context);
  const promptList = prompt === undefined ? undefined : arrayItems(prompt, context) ? chatMessages(prompt, context) : { messages: [singleMessage('user', prompt, context)], open: false };
  const messages = messagesProperty(opts, 'messages', context);
  const list = promptList ? { messages: [...promptList.messages, ...messages.messages], open: promptList.open || messages.open } : messages;
  const maxOutput = prop(opts, 'maxOutputTokens', context) ?? prop(opts, 'maxTokens', context);
  return shape(call, context, withSystem('system', prop(opts, 'system', context), list, context), { model: prop(opts, 'model', context), maxOutput });
};
