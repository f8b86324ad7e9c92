import { isRecord, parseJson } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';
import { parseSseEvent, SseSplitter } from '../usage/sse-splitter';

type Json = Record<string, unknown>;

/**
 * Whether a stream that ended without an error reached its API's last event: a chat stream its
 * `[DONE]`, a Responses stream `response.completed`, a Messages stream `message_stop`. Only such
 * a stream is cached; one cut short is not the answer.
 */
export function isCompleteStream(kind: EndpointKind, sse: Buffer): boolean {
  const tail = sse.subarray(Math.max(0, sse.length - 16_384)).toString('utf8');
  if (kind === 'chat') return /data: ?\[DONE\]\s*$/.test(tail);
  if (kind === 'responses') return tail.includes('response.completed') && !tail.includes('"type":"error"');
  if (kind === 'messages') return /event: ?message_stop/.test(tail) || tail.includes('"type":"message_stop"');
  return false;
}

/**
 * The JSON answer a stream adds up to, for a client that asks without `stream` what an earlier
 * streamed call answered. Undefined when the stream cannot be read as its API's events.
 */
export function streamToJson(kind: EndpointKind, sse: Buffer): Json | undefined {
  const events = new SseSplitter().push(Buffer.concat([sse, Buffer.from('\n\n')])).map(parseSseEvent);
  const datas: Json[] = [];
  for (const event of events) {
    if (event.data === '' || event.data === '[DONE]') continue;
    const data = parseJson(event.data);
    if (!isRecord(data)) return undefined;
    datas.push(data);
  }
  if (kind === 'chat') return chatFromChunks(datas);
  if (kind === 'responses') return responsesFromEvents(datas);
  if (kind === 'messages') return messageFromEvents(datas);
  return undefined;
}

interface ChoiceState {
  index: number;
  role: string;
  content: string | null;
  refusal: string | null;
  toolCalls: Map<number, { id: string; type: string; function: { name: string; arguments: string } }>;
  finishReason: unknown;
  logprobs: { content: unknown[] } | null;
}

/** OpenAI chat chunks → a chat.completion: deltas appended per choice, tool calls by index. */
function chatFromChunks(chunks: Json[]): Json | undefined {
  const first = chunks[0];
  if (!first) return undefined;
  const choices = new Map<number, ChoiceState>();
  let usage: unknown = null;
  let fingerprint: unknown = first['system_fingerprint'] ?? null;
  for (const chunk of chunks) {
    if (chunk['usage']) usage = chunk['usage'];
    fingerprint = chunk['system_fingerprint'] ?? fingerprint;
    for (const raw of Array.isArray(chunk['choices']) ? chunk['choices'] : []) {
      if (!isRecord(raw)) continue;
      const index = typeof raw['index'] === 'number' ? raw['index'] : 0;
      let choice = choices.get(index);
      if (!choice) {
        choice = { index, role: 'assistant', content: null, refusal: null, toolCalls: new Map(), finishReason: null, logprobs: null };
        choices.set(index, choice);
      }
      foldChatDelta(choice, raw);
    }
  }
  return {
    id: first['id'],
    object: 'chat.completion',
    created: first['created'],
    model: first['model'],
    choices: [...choices.values()].sort((a, b) => a.index - b.index).map(toChatChoice),
    usage,
    system_fingerprint: fingerprint,
    ...(first['service_tier'] !== undefined ? { service_tier: first['service_tier'] } : {}),
  };
}

function foldChatDelta(choice: ChoiceState, raw: Json): void {
  const delta = isRecord(raw['delta']) ? raw['delta'] : {};
  if (typeof delta['role'] === 'string') choice.role = delta['role'];
  if (typeof delta['content'] === 'string') choice.content = (choice.content ?? '') + delta['content'];
  if (typeof delta['refusal'] === 'string') choice.refusal = (choice.refusal ?? '') + delta['refusal'];
  for (const call of Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : []) {
    if (!isRecord(call)) continue;
    const at = typeof call['index'] === 'number' ? call['index'] : choice.toolCalls.size;
    const fn = isRecord(call['function']) ? call['function'] : {};
    const known = choice.toolCalls.get(at) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
    if (typeof call['id'] === 'string') known.id = call['id'];
    if (typeof call['type'] === 'string') known.type = call['type'];
    if (typeof fn['name'] === 'string') known.function.name += fn['name'];
    if (typeof fn['arguments'] === 'string') known.function.arguments += fn['arguments'];
    choice.toolCalls.set(at, known);
  }
  if (raw['finish_reason'] != null) choice.finishReason = raw['finish_reason'];
  const logprobs = isRecord(raw['logprobs']) ? raw['logprobs'] : undefined;
  if (logprobs && Array.isArray(logprobs['content'])) {
    choice.logprobs ??= { content: [] };
    choice.logprobs.content.push(...(logprobs['content'] as unknown[]));
  }
}

function toChatChoice(choice: ChoiceState): Json {
  const message: Json = { role: choice.role, content: choice.content, refusal: choice.refusal };
  if (choice.toolCalls.size > 0) message['tool_calls'] = [...choice.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  message['annotations'] = [];
  return { index: choice.index, message, logprobs: choice.logprobs, finish_reason: choice.finishReason };
}

/** Responses events → the response object: `response.completed` carries it whole. */
function responsesFromEvents(events: Json[]): Json | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event['type'] === 'response.completed' && isRecord(event['response'])) return event['response'];
  }
  return undefined;
}

/** Anthropic message events → the message: content blocks built from their deltas, usage merged. */
function messageFromEvents(events: Json[]): Json | undefined {
  const start = events.find((event) => event['type'] === 'message_start');
  if (!start || !isRecord(start['message'])) return undefined;
  const message: Json = { ...start['message'] };
  const blocks: Json[] = [];
  const partialJson = new Map<number, string>();
  let usage: Json = isRecord(message['usage']) ? { ...message['usage'] } : {};
  for (const event of events) {
    const index = typeof event['index'] === 'number' ? event['index'] : -1;
    if (event['type'] === 'content_block_start' && isRecord(event['content_block'])) {
      blocks[index] = { ...event['content_block'] };
    } else if (event['type'] === 'content_block_delta' && blocks[index] && isRecord(event['delta'])) {
      foldContentDelta(blocks[index]!, event['delta'], index, partialJson);
    } else if (event['type'] === 'message_delta') {
      const delta = isRecord(event['delta']) ? event['delta'] : {};
      if ('stop_reason' in delta) message['stop_reason'] = delta['stop_reason'];
      if ('stop_sequence' in delta) message['stop_sequence'] = delta['stop_sequence'];
      if (isRecord(event['usage'])) usage = { ...usage, ...withoutNulls(event['usage']) };
    }
  }
  for (const [index, json] of partialJson) {
    const parsed = parseJson(json === '' ? '{}' : json);
    if (blocks[index]) blocks[index]!['input'] = parsed ?? {};
  }
  message['content'] = blocks.filter(Boolean);
  message['usage'] = usage;
  return message;
}

function foldContentDelta(block: Json, delta: Json, index: number, partialJson: Map<number, string>): void {
  const append = (field: string, piece: unknown): void => {
    if (typeof piece === 'string') block[field] = (typeof block[field] === 'string' ? block[field] : '') + piece;
  };
  if (delta['type'] === 'text_delta') append('text', delta['text']);
  else if (delta['type'] === 'thinking_delta') append('thinking', delta['thinking']);
  else if (delta['type'] === 'signature_delta') block['signature'] = delta['signature'];
  else if (delta['type'] === 'citations_delta') block['citations'] = [...(Array.isArray(block['citations']) ? block['citations'] : []), delta['citation']];
  else if (delta['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string') {
    partialJson.set(index, (partialJson.get(index) ?? '') + delta['partial_json']);
  }
}

function withoutNulls(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
