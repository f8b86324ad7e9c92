import { isRecord } from '../../shared/json';
import { isUnset, untranslatable, type Json } from './refuse';

const TO = 'an OpenAI-type provider (chat completions)';

/** Fields read below; any other field is refused rather than dropped. */
const KNOWN = new Set([
  'model', 'messages', 'system', 'max_tokens', 'stop_sequences', 'stream', 'temperature', 'top_p', 'tools', 'tool_choice', 'metadata', 'thinking', 'service_tier',
]);

/**
 * An Anthropic Messages request as an OpenAI chat completions request: the system prompt becomes
 * the first message, content blocks become content parts, tool_use blocks become tool_calls and
 * tool_result blocks become `tool` messages, placed right after the assistant turn that asked.
 * `cache_control` marks are left out: OpenAI-type providers cache prompt prefixes on their own.
 */
export function messagesToChatRequest(body: Json): Json {
  for (const field in body) {
    if (!KNOWN.has(field) && !isUnset(body[field])) throw untranslatable(field, 'the chat completions API has no equivalent', TO);
  }
  const model = String(body['model']);
  const out: Json = { model, messages: [...systemMessages(body['system']), ...conversation(body['messages'] as unknown[])] };
  out[usesCompletionTokens(model) ? 'max_completion_tokens' : 'max_tokens'] = body['max_tokens'];
  if (body['temperature'] != null) out['temperature'] = body['temperature'];
  if (body['top_p'] != null) out['top_p'] = body['top_p'];
  const stops = body['stop_sequences'];
  if (Array.isArray(stops) && stops.length > 0) {
    if (stops.length > 4) throw untranslatable('stop_sequences', 'OpenAI takes at most 4 stop sequences', TO);
    out['stop'] = stops;
  }
  if (body['stream'] === true) {
    out['stream'] = true;
    out['stream_options'] = { include_usage: true };
  }
  if (Array.isArray(body['tools']) && body['tools'].length > 0) out['tools'] = body['tools'].map(toolOf);
  if (body['tool_choice'] !== undefined) Object.assign(out, toolChoiceOf(body['tool_choice']));
  const userId = isRecord(body['metadata']) ? body['metadata']['user_id'] : undefined;
  if (typeof userId === 'string') out['user'] = userId;
  const effort = reasoningEffortOf(body['thinking']);
  if (effort) out['reasoning_effort'] = effort;
  if (body['service_tier'] !== undefined && body['service_tier'] !== 'auto') throw untranslatable('service_tier', 'only "auto" has an equivalent', TO);
  return out;
}

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) refuse max_tokens and take max_completion_tokens. */
function usesCompletionTokens(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model.slice(model.lastIndexOf('/') + 1));
}

/**
 * Extended thinking as a reasoning effort, by its token budget: the provider then reasons, but
 * (as OpenAI does) does not return the reasoning itself.
 */
function reasoningEffortOf(thinking: unknown): string | undefined {
  if (!isRecord(thinking) || thinking['type'] !== 'enabled') return undefined;
  const budget = typeof thinking['budget_tokens'] === 'number' ? thinking['budget_tokens'] : 0;
  return budget < 4096 ? 'low' : budget < 16384 ? 'medium' : 'high';
}

function systemMessages(system: unknown): Json[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: system }];
  if (!Array.isArray(system)) throw untranslatable('system', 'it must be a string or text blocks', TO);
  const text = system
    .map((block, i) => {
      if (!isRecord(block) || block['type'] !== 'text') throw untranslatable(`system[${i}]`, 'only text blocks have an equivalent in a system message', TO);
      return String(block['text'] ?? '');
    })
    .join('\n\n');
  return [{ role: 'system', content: text }];
}

function conversation(messages: unknown[]): Json[] {
  const out: Json[] = [];
  messages.forEach((message, i) => {
    const { role, content } = message as { role: 'user' | 'assistant'; content: unknown };
    const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : (content as unknown[]);
    if (role === 'assistant') out.push(assistantMessage(blocks, `messages[${i}]`));
    else out.push(...userMessages(blocks, `messages[${i}]`));
  });
  return out;
}

function assistantMessage(blocks: unknown[], at: string): Json {
  const texts: string[] = [];
  const toolCalls: Json[] = [];
  blocks.forEach((block, j) => {
    const b = block as Json;
    const where = `${at}.content[${j}]`;
    if (b['type'] === 'text') texts.push(String(b['text'] ?? ''));
    else if (b['type'] === 'tool_use') {
      toolCalls.push({ id: b['id'], type: 'function', function: { name: b['name'], arguments: JSON.stringify(b['input'] ?? {}) } });
    } else throw untranslatable(where, `a "${String(b['type'])}" block in an assistant turn has no equivalent`, TO);
  });
  const message: Json = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  return message;
}

/** Tool results first, as `tool` messages answering the previous assistant turn; then the rest as one user message. */
function userMessages(blocks: unknown[], at: string): Json[] {
  const tools: Json[] = [];
  const parts: Json[] = [];
  blocks.forEach((block, j) => {
    const b = block as Json;
    const where = `${at}.content[${j}]`;
    if (b['type'] === 'tool_result') tools.push(toolMessage(b, where));
    else parts.push(userPart(b, where));
  });
  if (parts.length === 0) return tools;
  const onlyText = parts.length === 1 && parts[0]!['type'] === 'text';
  return [...tools, { role: 'user', content: onlyText ? parts[0]!['text'] : parts }];
}

function userPart(block: Json, where: string): Json {
  if (block['type'] === 'text') return { type: 'text', text: String(block['text'] ?? '') };
  if (block['type'] === 'image') return { type: 'image_url', image_url: { url: imageUrlOf(block['source'], where) } };
  if (block['type'] === 'document') return documentPart(block['source'], where);
  throw untranslatable(where, `a "${String(block['type'])}" block has no equivalent`, TO);
}

function imageUrlOf(source: unknown, where: string): string {
  if (isRecord(source) && source['type'] === 'base64') return `data:${String(source['media_type'])};base64,${String(source['data'])}`;
  if (isRecord(source) && source['type'] === 'url') return String(source['url']);
  throw untranslatable(`${where}.source`, 'only base64 and url images have an equivalent', TO);
}

/** A base64 PDF becomes a `file` part; other document sources have no equivalent. */
function documentPart(source: unknown, where: string): Json {
  if (isRecord(source) && source['type'] === 'base64' && source['media_type'] === 'application/pdf') {
    return { type: 'file', file: { filename: 'document.pdf', file_data: `data:application/pdf;base64,${String(source['data'])}` } };
  }
  throw untranslatable(`${where}.source`, 'only base64 PDF documents have an equivalent', TO);
}

/** OpenAI tool messages carry text only, and have no error flag: an error result says so in its text. */
function toolMessage(block: Json, where: string): Json {
  const content = block['content'];
  let text: string;
  if (content === undefined || content === null) text = '';
  else if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((part, k) => {
        if (!isRecord(part) || part['type'] !== 'text') throw untranslatable(`${where}.content[${k}]`, 'a tool result may carry only text to an OpenAI-type provider', TO);
        return String(part['text'] ?? '');
      })
      .join('\n');
  } else throw untranslatable(`${where}.content`, 'it must be a string or text blocks', TO);
  return { role: 'tool', tool_call_id: block['tool_use_id'], content: block['is_error'] === true ? `Error: ${text}` : text };
}

function toolOf(tool: unknown, i: number): Json {
  if (!isRecord(tool) || (tool['type'] !== undefined && tool['type'] !== 'custom')) {
    const type = isRecord(tool) ? String(tool['type']) : typeof tool;
    throw untranslatable(`tools[${i}]`, `Anthropic's server tool "${type}" runs only on Anthropic`, TO);
  }
  const fn: Json = { name: tool['name'], parameters: tool['input_schema'] ?? { type: 'object', properties: {} } };
  if (typeof tool['description'] === 'string') fn['description'] = tool['description'];
  return { type: 'function', function: fn };
}

function toolChoiceOf(choice: unknown): Json {
  if (!isRecord(choice)) throw untranslatable('tool_choice', 'it must be an object', TO);
  const out: Json = {};
  if (choice['type'] === 'auto') out['tool_choice'] = 'auto';
  else if (choice['type'] === 'any') out['tool_choice'] = 'required';
  else if (choice['type'] === 'none') out['tool_choice'] = 'none';
  else if (choice['type'] === 'tool') out['tool_choice'] = { type: 'function', function: { name: choice['name'] } };
  else throw untranslatable('tool_choice.type', `"${String(choice['type'])}" has no equivalent`, TO);
  if (choice['disable_parallel_tool_use'] === true && choice['type'] !== 'none') out['parallel_tool_calls'] = false;
  return out;
}
