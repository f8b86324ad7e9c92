import { isRecord, parseJson } from '../../shared/json';
import { GatewayError } from '../http/errors';
import type { Json } from './refuse';
import { finishOfStopReason, stopReasonOfFinish } from './stop-reasons';
import { chatUsageOfMessages, messagesUsageOfChat } from './usage-shapes';

/** An answer the translation cannot read: the provider broke its own API's contract. */
export function malformed(what: string): GatewayError {
  return new GatewayError(502, 'provider_malformed_response', `The provider's answer could not be translated: ${what}`);
}

/** An OpenAI chat.completion as an Anthropic message (the request asked for one choice). */
export function messageOfChatCompletion(answer: unknown): Json {
  if (!isRecord(answer) || !Array.isArray(answer['choices']) || !isRecord(answer['choices'][0])) throw malformed('it has no choices');
  const choice = answer['choices'][0];
  const message = isRecord(choice['message']) ? choice['message'] : {};
  const content: Json[] = [];
  const text = typeof message['content'] === 'string' ? message['content'] : '';
  if (text !== '') content.push({ type: 'text', text });
  if (typeof message['refusal'] === 'string' && message['refusal'] !== '') content.push({ type: 'text', text: message['refusal'] });
  if (Array.isArray(message['tool_calls'])) for (const call of message['tool_calls']) content.push(toolUseOf(call));
  return {
    id: answer['id'],
    type: 'message',
    role: 'assistant',
    model: answer['model'],
    content,
    stop_reason: stopReasonOfFinish(choice['finish_reason']) ?? 'end_turn',
    stop_sequence: null,
    usage: messagesUsageOfChat(answer['usage']),
  };
}

/** A model may write arguments that are not JSON; Anthropic's tool_use input must be an object. */
export function toolInputOf(args: unknown): Json {
  const input = typeof args === 'string' ? (args.trim() === '' ? {} : parseJson(args)) : args;
  if (!isRecord(input)) throw malformed(`tool call arguments are not a JSON object: ${String(args).slice(0, 200)}`);
  return input;
}

function toolUseOf(call: unknown): Json {
  if (!isRecord(call) || !isRecord(call['function'])) throw malformed('a tool call has no function');
  return { type: 'tool_use', id: call['id'], name: call['function']['name'], input: toolInputOf(call['function']['arguments']) };
}

/** An Anthropic message as an OpenAI chat.completion with one choice. */
export function chatCompletionOfMessage(answer: unknown, now = Date.now()): Json {
  if (!isRecord(answer) || !Array.isArray(answer['content'])) throw malformed('it has no content');
  const texts: string[] = [];
  const toolCalls: Json[] = [];
  for (const block of answer['content']) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'text') texts.push(String(block['text'] ?? ''));
    else if (block['type'] === 'tool_use') {
      toolCalls.push({ id: block['id'], type: 'function', function: { name: block['name'], arguments: JSON.stringify(block['input'] ?? {}) } });
    }
    // Thinking blocks come only when asked for, which a translated request cannot do.
  }
  const message: Json = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null };
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  return {
    id: answer['id'],
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: answer['model'],
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOfStopReason(answer['stop_reason']) ?? 'stop' }],
    usage: chatUsageOfMessages(answer['usage']),
  };
}
