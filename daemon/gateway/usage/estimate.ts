import { countChatTokens, countTextTokens } from '../../pricing/tokens';
import type { EndpointKind } from '../endpoint-kind';
import { parseSseEvent, SseSplitter } from './sse-splitter';
import { type Usage } from './types';
import { isRecord, parseJson } from '../../shared/json';

/**
 * Usage counted locally, for a provider that sent none (some OpenAI-compatible servers, or a
 * stream that broke before its usage chunk). Input is counted from the request, output from
 * the response text the client received. The row is marked as estimated.
 */
export function estimateUsage(kind: EndpointKind, request: unknown, response: Buffer | undefined, model: string): Usage {
  const inputTokens = countInput(kind, request, model);
  const outputText = response ? responseText(response) : '';
  return {
    inputTokens,
    outputTokens: outputText ? countTextTokens(outputText, model).tokens : 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

function countInput(kind: EndpointKind, request: unknown, model: string): number {
  if (!isRecord(request)) return 0;
  if (kind === 'chat' && Array.isArray(request['messages'])) {
    const messages = request['messages'].filter(isRecord).map((m) => ({ role: String(m['role']), content: textOf(m['content']) }));
    return countChatTokens(messages, model).tokens;
  }
  const parts = [request['system'], request['instructions'], request['messages'], request['input']].map(textOf);
  return countTextTokens(parts.filter(Boolean).join('\n'), model).tokens;
}

/** All the human-readable text in a content value, however the API nests it. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join('\n');
  if (!isRecord(value)) return '';
  if (typeof value['text'] === 'string') return value['text'];
  return textOf(value['content']);
}

/** The generated text in a JSON body or an SSE stream of any of the supported APIs. */
function responseText(response: Buffer): string {
  const json = parseJson(response.toString('utf8'));
  if (json !== undefined) return textOfResponse(json);
  const splitter = new SseSplitter();
  const pieces: string[] = [];
  for (const raw of [...splitter.push(response), ...(splitter.rest() ? [splitter.rest()!] : [])]) {
    const event = parseJson(parseSseEvent(raw).data);
    if (isRecord(event)) pieces.push(deltaText(event));
  }
  return pieces.join('');
}

function textOfResponse(body: unknown): string {
  if (!isRecord(body)) return '';
  if (Array.isArray(body['choices'])) {
    return body['choices'].map((choice) => (isRecord(choice) && isRecord(choice['message']) ? textOf(choice['message']['content']) : '')).join('');
  }
  if (Array.isArray(body['output'])) return textOf(body['output']);
  return textOf(body['content']);
}

/** The text one streamed event adds: chat chunk, Anthropic delta, or Responses delta. */
function deltaText(event: Record<string, unknown>): string {
  if (Array.isArray(event['choices'])) {
    return event['choices'].map((choice) => (isRecord(choice) && isRecord(choice['delta']) ? textOf(choice['delta']['content']) : '')).join('');
  }
  if (event['type'] === 'content_block_delta' && isRecord(event['delta'])) return textOf(event['delta']['text']);
  if (event['type'] === 'response.output_text.delta' && typeof event['delta'] === 'string') return event['delta'];
  return '';
}
