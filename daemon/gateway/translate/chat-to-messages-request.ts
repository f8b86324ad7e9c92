import { isRecord, parseJson } from '../../shared/json';
import { isUnset, untranslatable, type Json } from './refuse';

const TO = 'an Anthropic-type provider (messages)';

/**
 * Anthropic requires max_tokens; OpenAI does not. 4096 is the largest output every current
 * Claude model accepts, so the call cannot fail on it; a caller wanting more says so.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Fields read below. `stream_options` only says whether the caller wants the usage chunk, which
 * the translated stream honours; `n: 1`, zero penalties and `response_format: text` are the
 * defaults and pass. Any other field is refused rather than dropped.
 */
const KNOWN = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'stream', 'stream_options', 'tools', 'tool_choice',
  'parallel_tool_calls', 'user', 'n', 'presence_penalty', 'frequency_penalty', 'response_format', 'service_tier', 'modalities',
]);

/**
 * An OpenAI chat completions request as an Anthropic Messages request: leading system and
 * developer messages become `system`, content parts become blocks, tool_calls become tool_use
 * blocks and `tool` messages become tool_result blocks in a user turn. Consecutive turns of one
 * role are merged, as Anthropic requires alternation.
 */
export function chatToMessagesRequest(body: Json): Json {
  for (const field in body) {
    if (!KNOWN.has(field) && !isUnset(body[field])) throw untranslatable(field, 'the Messages API has no equivalent', TO);
  }
  refuseNonDefaults(body);
  const { system, turns } = split(body['messages'] as unknown[]);
  const out: Json = { model: body['model'], max_tokens: body['max_completion_tokens'] ?? body['max_tokens'] ?? DEFAULT_MAX_TOKENS, messages: turns };
  if (system !== undefined) out['system'] = system;
  const temperature = body['temperature'];
  if (typeof temperature === 'number') {
    if (temperature > 1) throw untranslatable('temperature', `Anthropic accepts 0 to 1, and ${temperature} has no equivalent`, TO);
    out['temperature'] = temperature;
  }
  if (body['top_p'] != null) out['top_p'] = body['top_p'];
  const stop = body['stop'];
  if (typeof stop === 'string') out['stop_sequences'] = [stop];
  else if (Array.isArray(stop) && stop.length > 0) out['stop_sequences'] = stop;
  if (body['stream'] === true) out['stream'] = true;
  if (Array.isArray(body['tools']) && body['tools'].length > 0) out['tools'] = body['tools'].map(toolOf);
  const choice = toolChoiceOf(body['tool_choice'], body['parallel_tool_calls']);
  if (choice) out['tool_choice'] = choice;
  if (typeof body['user'] === 'string') out['metadata'] = { user_id: body['user'] };
  return out;
}

function refuseNonDefaults(body: Json): void {
  if (body['n'] != null && body['n'] !== 1) throw untranslatable('n', 'Anthropic returns one choice per call', TO);
  for (const field of ['presence_penalty', 'frequency_penalty'] as const) {
    if (!isUnset(body[field])) throw untranslatable(field, 'no equivalent', TO);
  }
  const format = body['response_format'];
  if (format != null && !(isRecord(format) && format['type'] === 'text')) throw untranslatable('response_format', 'JSON modes have no equivalent', TO);
  if (body['service_tier'] != null && body['service_tier'] !== 'auto') throw untranslatable('service_tier', 'only "auto" has an equivalent', TO);
  const modalities = body['modalities'];
  if (Array.isArray(modalities) && modalities.some((m) => m !== 'text')) throw untranslatable('modalities', 'only text output has an equivalent', TO);
}

interface Turn {
  role: 'user' | 'assistant';
  content: Json[];
}

function split(messages: unknown[]): { system: string | undefined; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], blocks: Json[]): void => {
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    const m = message as Json;
    const at = `messages[${i}]`;
    if (m['name'] !== undefined) throw untranslatable(`${at}.name`, 'participant names have no equivalent', TO);
    const role = m['role'];
    if (role === 'system' || role === 'developer') {
      if (turns.length > 0) throw untranslatable(at, `a ${role} message after the conversation has started has no place: Anthropic takes one system prompt, before it`, TO);
      system.push(textOnly(m['content'], `${at}.content`));
    } else if (role === 'user') push('user', userBlocks(m['content'], at));
    else if (role === 'assistant') push('assistant', assistantBlocks(m, at));
    else if (role === 'tool') push('user', [toolResult(m, at)]);
    else throw untranslatable(`${at}.role`, `the role "${String(role)}" has no equivalent`, TO);
  });
  return { system: system.length > 0 ? system.join('\n\n') : undefined, turns };
}

function textOnly(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw untranslatable(at, 'it must be a string or text parts', TO);
  return content
    .map((part, k) => {
      if (!isRecord(part) || part['type'] !== 'text') throw untranslatable(`${at}[${k}]`, 'only text parts have an equivalent here', TO);
      return String(part['text'] ?? '');
    })
    .join('\n');
}

function userBlocks(content: unknown, at: string): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw untranslatable(`${at}.content`, 'it must be a string or content parts', TO);
  return content.map((part, k) => userBlock(part, `${at}.content[${k}]`));
}

function userBlock(part: unknown, at: string): Json {
  if (!isRecord(part)) throw untranslatable(at, 'it must be a content part', TO);
  if (part['type'] === 'text') return { type: 'text', text: String(part['text'] ?? '') };
  if (part['type'] === 'image_url') {
    const url = isRecord(part['image_url']) ? String(part['image_url']['url'] ?? '') : '';
    return { type: 'image', source: imageSourceOf(url, `${at}.image_url.url`) };
  }
  if (part['type'] === 'file' && isRecord(part['file']) && typeof part['file']['file_data'] === 'string') {
    const data = dataUrl(part['file']['file_data']);
    if (data?.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.data } };
  }
  throw untranslatable(at, `a "${String(part['type'])}" part has no equivalent (text, images and base64 PDF files do)`, TO);
}

function imageSourceOf(url: string, at: string): Json {
  const data = dataUrl(url);
  if (data) return { type: 'base64', media_type: data.mediaType, data: data.data };
  if (/^https?:\/\//.test(url)) return { type: 'url', url };
  throw untranslatable(at, 'only data: and http(s) image URLs have an equivalent', TO);
}

function dataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,/.exec(url);
  return match ? { mediaType: match[1]!, data: url.slice(match[0].length) } : undefined;
}

/** Empty text is left out: Anthropic refuses empty text blocks, and an empty string says nothing. */
function assistantBlocks(message: Json, at: string): Json[] {
  const blocks: Json[] = [];
  const content = message['content'];
  if (typeof content === 'string') {
    if (content !== '') blocks.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, k) => {
      if (!isRecord(part) || (part['type'] !== 'text' && part['type'] !== 'refusal')) throw untranslatable(`${at}.content[${k}]`, 'only text parts have an equivalent', TO);
      const text = String(part['text'] ?? part['refusal'] ?? '');
      if (text !== '') blocks.push({ type: 'text', text });
    });
  } else if (content != null) throw untranslatable(`${at}.content`, 'it must be a string or text parts', TO);
  const calls = message['tool_calls'];
  if (Array.isArray(calls)) calls.forEach((call, k) => blocks.push(toolUse(call, `${at}.tool_calls[${k}]`)));
  return blocks;
}

function toolUse(call: unknown, at: string): Json {
  if (!isRecord(call) || call['type'] !== 'function' || !isRecord(call['function'])) throw untranslatable(at, 'only function tool calls have an equivalent', TO);
  const args = call['function']['arguments'];
  const input = typeof args === 'string' ? (args === '' ? {} : parseJson(args)) : args;
  if (!isRecord(input)) throw untranslatable(`${at}.function.arguments`, 'Anthropic needs the arguments as a JSON object', TO);
  return { type: 'tool_use', id: call['id'], name: call['function']['name'], input };
}

function toolResult(message: Json, at: string): Json {
  return { type: 'tool_result', tool_use_id: message['tool_call_id'], content: textOnly(message['content'] ?? '', `${at}.content`) };
}

function toolOf(tool: unknown, i: number): Json {
  if (!isRecord(tool) || tool['type'] !== 'function' || !isRecord(tool['function'])) throw untranslatable(`tools[${i}]`, 'only function tools have an equivalent', TO);
  const fn = tool['function'];
  if (fn['strict'] === true) throw untranslatable(`tools[${i}].function.strict`, 'strict schema adherence has no equivalent', TO);
  const out: Json = { name: fn['name'], input_schema: fn['parameters'] ?? { type: 'object', properties: {} } };
  if (typeof fn['description'] === 'string') out['description'] = fn['description'];
  return out;
}

function toolChoiceOf(choice: unknown, parallel: unknown): Json | undefined {
  let out: Json | undefined;
  if (choice === undefined || choice === null) out = undefined;
  else if (choice === 'auto' || choice === 'none') out = { type: choice };
  else if (choice === 'required') out = { type: 'any' };
  else if (isRecord(choice) && choice['type'] === 'function' && isRecord(choice['function'])) out = { type: 'tool', name: choice['function']['name'] };
  else throw untranslatable('tool_choice', 'it has no equivalent', TO);
  if (parallel === false && out?.['type'] !== 'none') out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}
