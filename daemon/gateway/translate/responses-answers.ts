import { isRecord, stringifyJson } from '../../shared/json';
import { malformed } from './json-answers';
import { answerText, type Json } from './refuse';
import { responsesUsageOfMessages } from './usage-shapes';

/**
 * The Responses API's view of an Anthropic message: `output` items (a message with output_text,
 * a function_call per tool_use block), `status` (incomplete when the output cap stopped it), and
 * usage with input including cached tokens. Shared by the JSON answer and the stream's last event.
 */


export function messageItem(id: string, text: string, status = 'completed'): Json {
  return { type: 'message', id, status, role: 'assistant', content: text === '' && status !== 'completed' ? [] : [outputText(text)] };
}

export function outputText(text: string): Json {
  return { type: 'output_text', text, annotations: [] };
}

export function functionCallItem(id: string, callId: unknown, name: unknown, args: string, status = 'completed'): Json {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status };
}

/** The response object, as the JSON answer and response.completed carry it. */
export function responseObject(fields: { id: unknown; model: unknown; createdAt: number; output: Json[]; stopReason: unknown; usage: unknown; status?: string }): Json {
  const incomplete = fields.stopReason === 'max_tokens' || fields.stopReason === 'model_context_window_exceeded';
  const status = fields.status ?? (incomplete ? 'incomplete' : 'completed');
  return {
    id: `resp_${answerText(fields.id)}`,
    object: 'response',
    created_at: fields.createdAt,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: fields.usage === null ? null : responsesUsageOfMessages(fields.usage),
  };
}

/** An Anthropic message as a Responses API response. */
export function responseOfMessage(answer: unknown, now = Date.now()): Json {
  if (!isRecord(answer) || !Array.isArray(answer['content'])) throw malformed('it has no content');
  const id = answerText(answer['id']);
  const texts: string[] = [];
  const calls: Json[] = [];
  answer['content'].forEach((block, index) => {
    if (!isRecord(block)) return;
    if (block['type'] === 'text') texts.push(answerText(block['text']));
    else if (block['type'] === 'tool_use') calls.push(functionCallItem(`fc_${id}_${index}`, block['id'], block['name'], stringifyJson(block['input'] ?? {})));
  });
  const output = [...(texts.length > 0 ? [messageItem(`msg_${id}`, texts.join(''))] : []), ...calls];
  return responseObject({ id, model: answer['model'], createdAt: Math.floor(now / 1000), output, stopReason: answer['stop_reason'], usage: answer['usage'] });
}
