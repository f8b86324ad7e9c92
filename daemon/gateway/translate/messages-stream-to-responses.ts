import { isRecord, parseJson } from '../../shared/json';
import type { SseEvent } from '../usage/sse-splitter';
import type { Json } from './refuse';
import { functionCallItem, messageItem, outputText, responseObject } from './responses-answers';
import type { StreamTranslator } from './stream-translator';

interface OpenItem {
  kind: 'text' | 'tool';
  id: string;
  outputIndex: number;
  callId?: unknown;
  name?: unknown;
  /** The text or the arguments so far. */
  content: string;
}

/**
 * Anthropic's message event stream as Responses API events: response.created and in_progress,
 * then per content block an output item (a message with one output_text part, or a
 * function_call whose arguments arrive as deltas), each closed with its .done events, and
 * response.completed (or response.incomplete at the output cap) with the whole response and its
 * usage. Every event carries a sequence_number, as OpenAI's do.
 */
export class MessagesStreamToResponses implements StreamTranslator {
  private sequence = 0;
  private id = '';
  private model: unknown = '';
  private readonly createdAt: number;
  private usage: Json = {};
  private stopReason: unknown;
  private readonly done: Json[] = [];
  private open: OpenItem | undefined;
  private finished = false;

  constructor(now = Date.now()) {
    this.createdAt = Math.floor(now / 1000);
  }

  push(event: SseEvent): string {
    if (this.finished) return '';
    const payload = parseJson(event.data);
    if (!isRecord(payload)) return '';
    switch (payload['type']) {
      case 'message_start': {
        const message = isRecord(payload['message']) ? payload['message'] : {};
        this.id = String(message['id'] ?? '');
        this.model = message['model'];
        if (isRecord(message['usage'])) this.usage = { ...message['usage'] };
        const response = this.response('in_progress', null);
        return this.emit('response.created', { response }) + this.emit('response.in_progress', { response });
      }
      case 'content_block_start':
        return this.start(payload['content_block']);
      case 'content_block_delta':
        return this.delta(payload['delta']);
      case 'content_block_stop':
        return this.close();
      case 'message_delta':
        if (isRecord(payload['usage'])) this.usage = { ...this.usage, ...payload['usage'] };
        if (isRecord(payload['delta'])) this.stopReason = payload['delta']['stop_reason'];
        return '';
      case 'message_stop': {
        this.finished = true;
        const out = this.close();
        const response = responseObject({ id: this.id, model: this.model, createdAt: this.createdAt, output: this.done, stopReason: this.stopReason, usage: this.usage });
        return out + this.emit(response['status'] === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
      }
      case 'error': {
        this.finished = true;
        const error = isRecord(payload['error']) ? payload['error'] : {};
        return this.emit('error', { code: String(error['type'] ?? 'api_error'), message: String(error['message'] ?? 'The provider reported an error mid-stream'), param: null });
      }
      default:
        return '';
    }
  }

  end(): { text: string; complete: boolean } {
    return { text: '', complete: this.finished };
  }

  private emit(type: string, fields: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...fields })}\n\n`;
  }

  private response(status: string, usage: unknown): Json {
    return responseObject({ id: this.id, model: this.model, createdAt: this.createdAt, output: [], stopReason: null, usage, status });
  }

  private start(block: unknown): string {
    if (!isRecord(block) || (block['type'] !== 'text' && block['type'] !== 'tool_use')) return '';
    let out = this.close();
    const outputIndex = this.done.length;
    if (block['type'] === 'text') {
      this.open = { kind: 'text', id: `msg_${this.id}_${outputIndex}`, outputIndex, content: '' };
      out += this.emit('response.output_item.added', { output_index: outputIndex, item: messageItem(this.open.id, '', 'in_progress') });
      out += this.emit('response.content_part.added', { item_id: this.open.id, output_index: outputIndex, content_index: 0, part: outputText('') });
      return out;
    }
    this.open = { kind: 'tool', id: `fc_${this.id}_${outputIndex}`, outputIndex, callId: block['id'], name: block['name'], content: '' };
    return out + this.emit('response.output_item.added', { output_index: outputIndex, item: functionCallItem(this.open.id, block['id'], block['name'], '', 'in_progress') });
  }

  private delta(delta: unknown): string {
    const item = this.open;
    if (!item || !isRecord(delta)) return '';
    if (item.kind === 'text' && delta['type'] === 'text_delta') {
      const text = String(delta['text'] ?? '');
      item.content += text;
      return this.emit('response.output_text.delta', { item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: text, logprobs: [] });
    }
    if (item.kind === 'tool' && delta['type'] === 'input_json_delta') {
      const piece = String(delta['partial_json'] ?? '');
      item.content += piece;
      return piece === '' ? '' : this.emit('response.function_call_arguments.delta', { item_id: item.id, output_index: item.outputIndex, delta: piece });
    }
    return '';
  }

  private close(): string {
    const item = this.open;
    if (!item) return '';
    this.open = undefined;
    const at = { item_id: item.id, output_index: item.outputIndex };
    if (item.kind === 'text') {
      const done = messageItem(item.id, item.content);
      this.done.push(done);
      return (
        this.emit('response.output_text.done', { ...at, content_index: 0, text: item.content, logprobs: [] }) +
        this.emit('response.content_part.done', { ...at, content_index: 0, part: outputText(item.content) }) +
        this.emit('response.output_item.done', { output_index: item.outputIndex, item: done })
      );
    }
    // Anthropic sends no fragment for a tool called without arguments.
    const args = item.content === '' ? '{}' : item.content;
    const done = functionCallItem(item.id, item.callId, item.name, args);
    this.done.push(done);
    return this.emit('response.function_call_arguments.done', { ...at, arguments: args }) + this.emit('response.output_item.done', { output_index: item.outputIndex, item: done });
  }
}
