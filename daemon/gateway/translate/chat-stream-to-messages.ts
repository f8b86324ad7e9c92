import { isRecord, parseJson } from '../../shared/json';
import type { SseEvent } from '../usage/sse-splitter';
import type { Json } from './refuse';
import type { StreamTranslator } from './stream-translator';
import { stopReasonOfFinish } from './stop-reasons';
import { messagesUsageOfChat } from './usage-shapes';

const named = (type: string, fields: Json): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

/**
 * OpenAI chat.completion.chunk events as Anthropic's message event stream: message_start, then a
 * text or tool_use content block per part (tool arguments as input_json_delta), then
 * message_delta with the stop reason and the whole usage, and message_stop. The usage arrives
 * after the finish reason (in the include_usage chunk), so the closing events wait for [DONE].
 */
export class ChatStreamToMessages implements StreamTranslator {
  private started = false;
  private finished = false;
  private block = -1;
  private openKind: 'text' | 'tool' | undefined;
  /** OpenAI's tool call index → the content block that carries it. */
  private readonly toolBlocks = new Map<number, number>();
  private stopReason: string | null = null;
  private usage: unknown;

  push(event: SseEvent): string {
    if (this.finished) return '';
    if (event.data === '[DONE]') return this.finish();
    const chunk = parseJson(event.data);
    if (!isRecord(chunk)) return '';
    if (isRecord(chunk['error'])) {
      this.finished = true;
      return named('error', { error: { type: 'api_error', message: String(chunk['error']['message'] ?? 'The provider reported an error mid-stream') } });
    }
    let out = this.start(chunk);
    if (isRecord(chunk['usage'])) this.usage = chunk['usage'];
    const choice = Array.isArray(chunk['choices']) && isRecord(chunk['choices'][0]) ? chunk['choices'][0] : undefined;
    if (!choice) return out;
    const delta = isRecord(choice['delta']) ? choice['delta'] : {};
    for (const text of [delta['content'], delta['refusal']]) {
      if (typeof text === 'string' && text !== '') out += this.text(text);
    }
    if (Array.isArray(delta['tool_calls'])) for (const call of delta['tool_calls']) if (isRecord(call)) out += this.tool(call);
    if (choice['finish_reason'] != null) this.stopReason = stopReasonOfFinish(choice['finish_reason']);
    return out;
  }

  /** A stream that ended without [DONE] but with its finish reason is complete; one without is not. */
  end(): { text: string; complete: boolean } {
    if (this.finished) return { text: '', complete: true };
    if (this.stopReason === null) return { text: '', complete: false };
    return { text: this.finish(), complete: true };
  }

  private start(chunk: Json): string {
    if (this.started) return '';
    this.started = true;
    // The input count is not known until the end: message_delta carries the whole usage, and
    // Anthropic's SDKs take its input counts over the ones message_start announced.
    const message = { id: chunk['id'], type: 'message', role: 'assistant', model: chunk['model'], content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    return named('message_start', { message });
  }

  private text(text: string): string {
    let out = '';
    if (this.openKind !== 'text') out += this.open('text', { type: 'text', text: '' });
    return out + named('content_block_delta', { index: this.block, delta: { type: 'text_delta', text } });
  }

  private tool(call: Json): string {
    const index = typeof call['index'] === 'number' ? call['index'] : 0;
    const fn = isRecord(call['function']) ? call['function'] : {};
    let out = '';
    let block = this.toolBlocks.get(index);
    if (block === undefined) {
      out += this.open('tool', { type: 'tool_use', id: call['id'], name: fn['name'], input: {} });
      block = this.block;
      this.toolBlocks.set(index, block);
    }
    const args = fn['arguments'];
    if (typeof args === 'string' && args !== '') out += named('content_block_delta', { index: block, delta: { type: 'input_json_delta', partial_json: args } });
    return out;
  }

  private open(kind: 'text' | 'tool', contentBlock: Json): string {
    const out = this.close();
    this.block += 1;
    this.openKind = kind;
    return out + named('content_block_start', { index: this.block, content_block: contentBlock });
  }

  private close(): string {
    if (this.openKind === undefined) return '';
    this.openKind = undefined;
    return named('content_block_stop', { index: this.block });
  }

  private finish(): string {
    this.finished = true;
    const usage = messagesUsageOfChat(this.usage);
    return (
      this.close() +
      named('message_delta', { delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null }, usage }) +
      named('message_stop', {})
    );
  }
}
