import { isRecord } from '../../shared/json';
import { anthropicTool, DEFAULT_MAX_TOKENS, imageSourceOf, pdfDocumentOf, pushTurn, TO_ANTHROPIC as TO, toolChoiceOf, toolUseBlock, type Turn } from './anthropic-blocks';
import { isUnset, untranslatable, type Json } from './refuse';

/**
 * Fields read below. `truncation: "disabled"` and `store: false` are what a stateless call means
 * and pass; any other field with a value is refused rather than dropped (previous_response_id
 * and stored state, built-in tools, reasoning, structured text formats, `include`).
 */
const KNOWN = new Set(['model', 'input', 'instructions', 'max_output_tokens', 'temperature', 'top_p', 'stream', 'tools', 'tool_choice', 'parallel_tool_calls', 'user', 'store', 'truncation', 'text']);

/**
 * An OpenAI Responses request as an Anthropic Messages request: `instructions` and leading
 * system/developer items become `system`, message items become turns, function_call items
 * tool_use blocks and function_call_output items tool_result blocks.
 */
export function responsesToMessagesRequest(body: Json): Json {
  for (const field in body) {
    if (!KNOWN.has(field) && !isUnset(body[field])) throw untranslatable(field, 'the Messages API has no equivalent (a translated call keeps no state at the provider)', TO);
  }
  if (body['store'] === true) throw untranslatable('store', 'Anthropic stores no responses', TO);
  if (body['truncation'] != null && body['truncation'] !== 'disabled') throw untranslatable('truncation', 'only "disabled" has an equivalent', TO);
  const text = isRecord(body['text']) ? body['text'] : {};
  const other = Object.keys(text).find((key) => key !== 'format' && !isUnset(text[key]));
  if (other) throw untranslatable(`text.${other}`, 'no equivalent', TO);
  const format = text['format'];
  if (format != null && !(isRecord(format) && format['type'] === 'text')) throw untranslatable('text.format', 'structured output formats have no equivalent', TO);
  const system = typeof body['instructions'] === 'string' && body['instructions'] !== '' ? [body['instructions']] : [];
  const turns = conversation(body['input'], system);
  const out: Json = { model: body['model'], max_tokens: body['max_output_tokens'] ?? DEFAULT_MAX_TOKENS, messages: turns };
  if (system.length > 0) out['system'] = system.join('\n\n');
  const temperature = body['temperature'];
  if (typeof temperature === 'number') {
    if (temperature > 1) throw untranslatable('temperature', `Anthropic accepts 0 to 1, and ${temperature} has no equivalent`, TO);
    out['temperature'] = temperature;
  }
  if (body['top_p'] != null) out['top_p'] = body['top_p'];
  if (body['stream'] === true) out['stream'] = true;
  if (Array.isArray(body['tools']) && body['tools'].length > 0) out['tools'] = body['tools'].map(toolOf);
  const choice = toolChoiceOf(body['tool_choice'], (c) => (c['type'] === 'function' ? c['name'] : undefined), body['parallel_tool_calls']);
  if (choice) out['tool_choice'] = choice;
  if (typeof body['user'] === 'string') out['metadata'] = { user_id: body['user'] };
  return out;
}

/** `input` as turns; system and developer items before the first turn join `system`. */
function conversation(input: unknown, system: string[]): Turn[] {
  const turns: Turn[] = [];
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw untranslatable('input', 'it must be a string or a list of items', TO);
  input.forEach((item, i) => {
    const at = `input[${i}]`;
    if (!isRecord(item)) throw untranslatable(at, 'it must be an item', TO);
    const type = item['type'] ?? 'message';
    if (type === 'function_call') pushTurn(turns, 'assistant', [toolUseBlock(item['call_id'], item['name'], item['arguments'], `${at}.arguments`)]);
    else if (type === 'function_call_output') pushTurn(turns, 'user', [{ type: 'tool_result', tool_use_id: item['call_id'], content: outputText(item['output'], `${at}.output`) }]);
    else if (type !== 'message') throw untranslatable(at, `a "${String(type)}" item has no equivalent`, TO);
    else if (item['role'] === 'system' || item['role'] === 'developer') {
      if (turns.length > 0) throw untranslatable(at, `a ${String(item['role'])} message after the conversation has started has no place: Anthropic takes one system prompt, before it`, TO);
      system.push(parts(item['content'], at).map((block) => String(block['text'] ?? '')).join('\n'));
    } else if (item['role'] === 'user' || item['role'] === 'assistant') {
      const blocks = parts(item['content'], at).filter((block) => block['type'] !== 'text' || block['text'] !== '');
      if (blocks.length > 0) pushTurn(turns, item['role'], blocks);
    } else throw untranslatable(`${at}.role`, `the role "${String(item['role'])}" has no equivalent`, TO);
  });
  return turns;
}

function parts(content: unknown, at: string): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw untranslatable(`${at}.content`, 'it must be a string or content parts', TO);
  return content.map((part, k) => {
    const where = `${at}.content[${k}]`;
    if (!isRecord(part)) throw untranslatable(where, 'it must be a content part', TO);
    const type = part['type'];
    if (type === 'input_text' || type === 'output_text') return { type: 'text', text: String(part['text'] ?? '') };
    if (type === 'refusal') return { type: 'text', text: String(part['refusal'] ?? '') };
    if (type === 'input_image' && typeof part['image_url'] === 'string') return { type: 'image', source: imageSourceOf(part['image_url'], `${where}.image_url`) };
    const pdf = type === 'input_file' ? pdfDocumentOf(part['file_data']) : undefined;
    if (pdf) return pdf;
    throw untranslatable(where, `a "${String(type)}" part has no equivalent (text, images by URL and base64 PDF files do)`, TO);
  });
}

function outputText(output: unknown, at: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return parts(output, at)
      .map((block, k) => {
        if (block['type'] !== 'text') throw untranslatable(`${at}[${k}]`, 'a tool output may carry only text to an Anthropic-type provider here', TO);
        return String(block['text']);
      })
      .join('\n');
  }
  throw untranslatable(at, 'it must be a string or text parts', TO);
}

function toolOf(tool: unknown, i: number): Json {
  if (!isRecord(tool) || tool['type'] !== 'function') {
    const type = isRecord(tool) ? String(tool['type']) : typeof tool;
    throw untranslatable(`tools[${i}]`, `OpenAI's built-in tool "${type}" runs only at OpenAI`, TO);
  }
  return anthropicTool(tool, `tools[${i}]`);
}
