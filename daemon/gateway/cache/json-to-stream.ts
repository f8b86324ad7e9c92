import { isRecord } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';

type Json = Record<string, unknown>;

/**
 * The stream a streaming client gets for an answer first received as JSON: the events its API's
 * SDK expects, in order, with the whole text in one delta per part, usage included (for chat,
 * in the usage-only chunk when the client asked for it), and the API's last event at the end.
 * Undefined when the JSON is not its API's answer object.
 */
export function jsonToStream(kind: EndpointKind, answer: unknown, includeUsage: boolean): Buffer | undefined {
  if (!isRecord(answer)) return undefined;
  if (kind === 'chat') return chatStream(answer, includeUsage);
  if (kind === 'responses') return responsesStream(answer);
  if (kind === 'messages') return messageStream(answer);
  return undefined;
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
const named = (type: string, value: unknown): string => `event: ${type}\ndata: ${JSON.stringify(value)}\n\n`;

function chatStream(answer: Json, includeUsage: boolean): Buffer | undefined {
  if (!Array.isArray(answer['choices'])) return undefined;
  const base = {
    id: answer['id'],
    object: 'chat.completion.chunk',
    created: answer['created'],
    model: answer['model'],
    system_fingerprint: answer['system_fingerprint'] ?? null,
  };
  const out: string[] = [];
  for (const choice of answer['choices'] as unknown[]) {
    if (!isRecord(choice)) continue;
    const index = choice['index'] ?? 0;
    const message = isRecord(choice['message']) ? choice['message'] : {};
    out.push(data({ ...base, choices: [{ index, delta: { role: message['role'] ?? 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] }));
    const delta: Json = {};
    if (typeof message['content'] === 'string' && message['content'] !== '') delta['content'] = message['content'];
    if (typeof message['refusal'] === 'string') delta['refusal'] = message['refusal'];
    if (Array.isArray(message['tool_calls'])) {
      delta['tool_calls'] = (message['tool_calls'] as unknown[]).map((call, at) => ({ index: at, ...(isRecord(call) ? call : {}) }));
    }
    if (Object.keys(delta).length > 0) out.push(data({ ...base, choices: [{ index, delta, logprobs: choice['logprobs'] ?? null, finish_reason: null }] }));
    out.push(data({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: choice['finish_reason'] ?? 'stop' }] }));
  }
  if (includeUsage && answer['usage']) out.push(data({ ...base, choices: [], usage: answer['usage'] }));
  out.push('data: [DONE]\n\n');
  return Buffer.from(out.join(''));
}

function responsesStream(answer: Json): Buffer | undefined {
  if (!Array.isArray(answer['output'])) return undefined;
  const out: string[] = [];
  const emit = (type: string, fields: Json): void => {
    out.push(named(type, { type, sequence_number: out.length, ...fields }));
  };
  const pending = { ...answer, status: 'in_progress', output: [], usage: null };
  emit('response.created', { response: pending });
  emit('response.in_progress', { response: pending });
  (answer['output'] as unknown[]).forEach((item, outputIndex) => {
    if (!isRecord(item)) return;
    const content = Array.isArray(item['content']) ? (item['content'] as unknown[]) : undefined;
    emit('response.output_item.added', { output_index: outputIndex, item: content ? { ...item, status: 'in_progress', content: [] } : item });
    content?.forEach((part, contentIndex) => {
      if (!isRecord(part)) return;
      const at = { item_id: item['id'], output_index: outputIndex, content_index: contentIndex };
      if (part['type'] === 'output_text' && typeof part['text'] === 'string') {
        emit('response.content_part.added', { ...at, part: { ...part, text: '' } });
        emit('response.output_text.delta', { ...at, delta: part['text'], logprobs: [] });
        emit('response.output_text.done', { ...at, text: part['text'], logprobs: [] });
      } else {
        emit('response.content_part.added', { ...at, part });
      }
      emit('response.content_part.done', { ...at, part });
    });
    emit('response.output_item.done', { output_index: outputIndex, item });
  });
  emit('response.completed', { response: answer });
  return Buffer.from(out.join(''));
}

function messageStream(answer: Json): Buffer | undefined {
  if (!Array.isArray(answer['content'])) return undefined;
  const usage = isRecord(answer['usage']) ? answer['usage'] : {};
  const out: string[] = [];
  out.push(named('message_start', {
    type: 'message_start',
    message: { ...answer, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: Math.min(1, Number(usage['output_tokens']) || 0) } },
  }));
  (answer['content'] as unknown[]).forEach((block, index) => {
    if (!isRecord(block)) return;
    const [start, delta] = blockStartAndDelta(block);
    out.push(named('content_block_start', { type: 'content_block_start', index, content_block: start }));
    for (const piece of delta) out.push(named('content_block_delta', { type: 'content_block_delta', index, delta: piece }));
    out.push(named('content_block_stop', { type: 'content_block_stop', index }));
  });
  out.push(named('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: answer['stop_reason'] ?? 'end_turn', stop_sequence: answer['stop_sequence'] ?? null },
    usage,
  }));
  out.push(named('message_stop', { type: 'message_stop' }));
  return Buffer.from(out.join(''));
}

/** A content block as it starts (empty) and the deltas that fill it. */
function blockStartAndDelta(block: Json): [Json, Json[]] {
  if (block['type'] === 'text') return [{ ...block, text: '' }, [{ type: 'text_delta', text: block['text'] ?? '' }]];
  if (block['type'] === 'tool_use' || block['type'] === 'server_tool_use') {
    return [{ ...block, input: {} }, [{ type: 'input_json_delta', partial_json: JSON.stringify(block['input'] ?? {}) }]];
  }
  if (block['type'] === 'thinking') {
    const deltas: Json[] = [{ type: 'thinking_delta', thinking: block['thinking'] ?? '' }];
    if (typeof block['signature'] === 'string') deltas.push({ type: 'signature_delta', signature: block['signature'] });
    return [{ ...block, thinking: '', signature: '' }, deltas];
  }
  return [block, []];
}
