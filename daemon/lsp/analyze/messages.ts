import { text, type Value } from '../extract/value';
import { arrayItems, literalString, prop, resolve, stringParts, type Part, type ResolveContext } from './resolve';
import type { Message } from './site';

/**
 * Reading chat messages out of values, in the shapes the SDKs accept: `{role, content}` with a
 * string or content blocks (OpenAI, Anthropic, AI SDK), and the Responses API's plain-string input.
 */

export interface MessageList {
  messages: Message[];
  /** Some messages cannot be read (a spread of a variable, a function result). */
  open: boolean;
}

const EMPTY: MessageList = { messages: [], open: false };
const UNKNOWN_LIST: MessageList = { messages: [], open: true };

/** A `messages` array. Missing → no messages; not an array we can read → open. */
export function chatMessages(value: Value | undefined, context: ResolveContext): MessageList {
  if (value === undefined) return EMPTY;
  const list = arrayItems(value, context);
  if (!list) return UNKNOWN_LIST;
  const messages: Message[] = [];
  let open = list.open;
  for (const item of list.items) {
    const message = chatMessage(item, context);
    if (message) messages.push(message);
    else open = true;
  }
  return { messages, open };
}

function chatMessage(item: Value, context: ResolveContext): Message | undefined {
  const resolved = resolve(item, context);
  if (resolved?.kind !== 'object') return undefined;
  const role = literalString(prop(resolved, 'role', context), context) ?? 'user';
  return { role, ...content(prop(resolved, 'content', context), context) };
}

/**
 * A message's content: a string, or blocks whose texts are joined with "\n" (as the gateway's
 * messageText does, so hashes agree). Blocks without text are counted as non-text.
 */
export function content(value: Value | undefined, context: ResolveContext): Pick<Message, 'parts' | 'nonText'> {
  const resolved = resolve(value, context);
  if (resolved?.kind !== 'array') return { parts: stringParts(value, context), nonText: 0 };
  const parts: Part[] = [];
  let nonText = 0;
  let first = true;
  for (const block of arrayItems(resolved, context)?.items ?? []) {
    const blockText = prop(block, 'text', context);
    if (blockText === undefined) {
      nonText++;
      continue;
    }
    if (!first) parts.push(text('\n') as Part);
    parts.push(...stringParts(blockText, context));
    first = false;
  }
  return { parts: joinText(parts), nonText };
}

/** A message made of one string-like value (system prompts, Responses input, AI SDK prompt). */
export function singleMessage(role: string, value: Value, context: ResolveContext): Message {
  return { role, ...content(value, context) };
}

function joinText(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
    else if (part.kind !== 'text' || part.text !== '') out.push(part);
  }
  return out;
}
