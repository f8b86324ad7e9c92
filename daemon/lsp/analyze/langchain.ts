import type { CallItem } from '../extract/items';
import { splitBraceTemplate } from '../extract/strings';
import type { Value } from '../extract/value';
import { arrayItems, literalString, resolve, stringParts, type Part, type ResolveContext } from './resolve';
import type { CallShape, ShapeBuilder } from './sdk-calls';
import type { Message } from './site';

/**
 * LangChain prompt templates (JS and Python): `{name}` in a template is filled at run time, so it
 * is an unknown span; `{{` / `}}` are literal braces. Templates carry no model: the default one
 * prices them.
 */

/** LangChain role names → API roles ("human" is the user, "ai" the assistant). */
const ROLES: Readonly<Record<string, string>> = { human: 'user', user: 'user', ai: 'assistant', assistant: 'assistant', system: 'system', developer: 'developer' };

/** Message classes and message-template classes, by the role they stand for. */
const CLASS_ROLE = /(System|Human|AI|Chat)Message(PromptTemplate)?(\.(fromTemplate|from_template))?$/;

function templateParts(value: Value | undefined, context: ResolveContext): Part[] {
  return splitBraceTemplate(stringParts(value, context)) as Part[];
}

function templateShape(messages: Message[], open: boolean, format: CallShape['format']): CallShape {
  return { format, messages, open, model: undefined, maxOutput: undefined, headers: [] };
}

/** ChatPromptTemplate.fromMessages([...]) / from_messages([...]). */
export const langchainChat: ShapeBuilder = (call, context) => {
  const list = arrayItems(argument(call, 0, 'messages'), context);
  if (!list) return templateShape([], true, 'chat');
  const messages: Message[] = [];
  let open = list.open;
  for (const item of list.items) {
    const message = templateMessage(item, context);
    if (message) messages.push(message);
    else open = true;
  }
  return templateShape(messages, open, 'chat');
};

/** One entry: ["system", "…"] / ("human", "…"), a bare template string, or a message (template) class. */
function templateMessage(item: Value, context: ResolveContext): Message | undefined {
  const resolved = resolve(item, context);
  if (resolved?.kind === 'string') return { role: 'user', parts: templateParts(resolved, context), nonText: 0 };
  if (resolved?.kind === 'array') {
    const [roleValue, body] = resolved.items;
    const role = ROLES[literalString(roleValue, context)?.toLowerCase() ?? ''];
    // "placeholder" entries (chat history) and unknown roles stand for messages not in the file.
    return role ? { role, parts: templateParts(body, context), nonText: 0 } : undefined;
  }
  if (resolved?.kind === 'call') {
    const match = CLASS_ROLE.exec(resolved.callee);
    if (!match) return undefined;
    const role = ROLES[(match[1] ?? '').toLowerCase()] ?? 'user';
    // SystemMessage("…") is literal text; SystemMessagePromptTemplate.fromTemplate("…") is a template.
    const parts = match[2] ? templateParts(resolved.args[0], context) : stringParts(resolved.args[0], context);
    return { role, parts, nonText: 0 };
  }
  return undefined;
}

/** ChatPromptTemplate.fromTemplate("…"): one human message. */
export const langchainChatTemplate: ShapeBuilder = (call, context) =>
  templateShape([{ role: 'user', parts: templateParts(argument(call, 0, 'template'), context), nonText: 0 }], false, 'chat');

/** PromptTemplate.fromTemplate("…") and the XMessagePromptTemplate variants: plain text. */
export const langchainTemplate: ShapeBuilder = (call, context) =>
  templateShape([{ role: '', parts: templateParts(argument(call, 0, 'template'), context), nonText: 0 }], false, 'text');

/** A positional argument, or the same passed by keyword in Python (template="…"). */
function argument(call: CallItem, index: number, keyword: string): Value | undefined {
  const entry = call.keywords?.find((candidate) => 'key' in candidate && candidate.key === keyword);
  return call.args[index] ?? (entry && 'key' in entry ? entry.value : undefined);
}
