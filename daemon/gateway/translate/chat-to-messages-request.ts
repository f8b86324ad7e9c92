import { isRecord } from '../../shared/json';
import { anthropicTool, DEFAULT_MAX_TOKENS, imageSourceOf, pdfDocumentOf, pushTurn, TO_ANTHROPIC as TO, toolChoiceOf, toolUseBlock, type Turn } from './anthropic-blocks';
import { isUnset, untranslatable, type Json } from './refuse';

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
  const choice = toolChoiceOf(body['tool_choice'], (c) => (c['type'] === 'function' && isRecord(c['function']) ? c['function']['name'] : undefined), body['parallel_tool_calls']);
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

function split(messages: unknown[]): { system: string | undefined; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], blocks: Json[]): void => pushTurn(turns, role, blocks);
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
  const pdf = part['type'] === 'file' && isRecord(part['file']) ? pdfDocumentOf(part['file']['file_data']) : undefined;
  if (pdf) return pdf;
  throw untranslatable(at, `a "${String(part['type'])}" part has no equivalent (text, images and base64 PDF files do)`, TO);
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
  return toolUseBlock(call['id'], call['function']['name'], call['function']['arguments'], `${at}.function.arguments`);
}

function toolResult(message: Json, at: string): Json {
  return { type: 'tool_result', tool_use_id: message['tool_call_id'], content: textOnly(message['content'] ?? '', `${at}.content`) };
}

function toolOf(tool: unknown, i: number): Json {
  if (!isRecord(tool) || tool['type'] !== 'function' || !isRecord(tool['function'])) throw untranslatable(`tools[${i}]`, 'only function tools have an equivalent', TO);
  return anthropicTool(tool['function'], `tools[${i}].function`);
}
