import { isRecord, parseJson } from '../../shared/json';
import type { SseEvent } from '../usage/sse-splitter';
import type { Json } from './refuse';
import type { StreamTranslator } from './stream-translator';
import { finishOfStopReason } from './stop-reasons';
import { chatUsageOfMessages } from './usage-shapes';

/**
 * Anthropic's message event stream as OpenAI chat.completion.chunk events: a role chunk, a
 * content delta per text delta, tool calls (id and name first, then argument fragments) under
 * their own index, a finish chunk, the usage-only chunk, and [DONE]. The usage chunk is always
 * made, as OpenAI makes it when the gateway asks: the relay leaves it out for a caller that did
 * not ask (stream_options.include_usage), and the cache keeps it for one that will. Pings are dropped; an error event becomes the
 * error chunk OpenAI's SDK raises.
 */
export class MessagesStreamToChat implements StreamTranslator {
  private id: unknown = '';
  private model: unknown = '';
  private readonly created: number;
  /** Anthropic's content block index → OpenAI's tool call index. */
  private readonly toolIndex = new Map<number, number>();
  private usage: Json = {};
  private stopReason: unknown;
  private finished = false;

  constructor(now = Date.now()) {
    this.created = Math.floor(now / 1000);
  }

  push(event: SseEvent): string {
    if (this.finished) return '';
    const payload = parseJson(event.data);
    if (!isRecord(payload)) return '';
    switch (payload['type']) {
      case 'message_start':
        return this.start(payload['message']);
      case 'content_block_start':
        return this.blockStart(payload);
      case 'content_block_delta':
        return this.blockDelta(payload);
      case 'message_delta':
        if (isRecord(payload['usage'])) this.usage = { ...this.usage, ...payload['usage'] };
        if (isRecord(payload['delta'])) this.stopReason = payload['delta']['stop_reason'];
        return '';
      case 'message_stop':
        return this.finish();
      case 'error': {
        this.finished = true;
        const error = isRecord(payload['error']) ? payload['error'] : {};
        return `data: ${JSON.stringify({ error: { message: String(error['message'] ?? 'The provider reported an error mid-stream'), type: String(error['type'] ?? 'server_error'), code: null } })}\n\n`;
      }
      default:
        return '';
    }
  }

  end(): { text: string; complete: boolean } {
    return this.finished ? { text: '', complete: true } : { text: '', complete: false };
  }

  private chunk(delta: Json, finish: string | null = null): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  }

  private start(message: unknown): string {
    if (isRecord(message)) {
      this.id = message['id'];
      this.model = message['model'];
      if (isRecord(message['usage'])) this.usage = { ...message['usage'] };
    }
    return this.chunk({ role: 'assistant', content: '', refusal: null });
  }

  private blockStart(payload: Json): string {
    const block = payload['content_block'];
    if (!isRecord(block) || block['type'] !== 'tool_use') return '';
    const index = this.toolIndex.size;
    this.toolIndex.set(Number(payload['index']), index);
    return this.chunk({ tool_calls: [{ index, id: block['id'], type: 'function', function: { name: block['name'], arguments: '' } }] });
  }

  private blockDelta(payload: Json): string {
    const delta = payload['delta'];
    if (!isRecord(delta)) return '';
    if (delta['type'] === 'text_delta') return this.chunk({ content: String(delta['text'] ?? '') });
    if (delta['type'] === 'input_json_delta') {
      const index = this.toolIndex.get(Number(payload['index']));
      if (index === undefined) return '';
      return this.chunk({ tool_calls: [{ index, function: { arguments: String(delta['partial_json'] ?? '') } }] });
    }
    return '';
  }

  private finish(): string {
    this.finished = true;
    const usage = `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: chatUsageOfMessages(this.usage) })}\n\n`;
    return this.chunk({}, finishOfStopReason(this.stopReason) ?? 'stop') + usage + 'data: [DONE]\n\n';
  }
}
