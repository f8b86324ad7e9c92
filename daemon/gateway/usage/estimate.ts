import { chatFramingTokens, chatPrimingTokens, countTextTokens } from '../../pricing/tokens';
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
    outputTokens: outputText ? textTokens(outputText, model) : 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

function countInput(kind: EndpointKind, request: unknown, model: string): number {
  if (!isRecord(request)) return 0;
  if (kind === 'chat' && Array.isArray(request['messages'])) {
    // countChatTokens' own sum (see pricing/tokens.ts), with each text counted by textTokens.
    let tokens = chatPrimingTokens(model);
    for (const message of request['messages']) {
      if (isRecord(message)) tokens += chatFramingTokens(String(message['role']), model) + textTokens(textOf(message['content']), model);
    }
    return tokens;
  }
  const parts = [request['system'], request['instructions'], request['messages'], request['input']].map(textOf);
  return textTokens(parts.filter(Boolean).join('\n'), model);
}

/**
 * gpt-tokenizer's BPE takes time quadratic in the length of one unbroken word (100,000 letters
 * without a space took 10 s here, on the request path's thread), so texts are counted in pieces
 * of PIECE_CHARS, and only the first SAMPLE_CHARS of a longer text, scaled to its length: a
 * few tens of milliseconds at worst, and an estimate is all this is.
 */
const PIECE_CHARS = 1_000;
const SAMPLE_CHARS = 16_000;

export function textTokens(text: string, model: string): number {
  if (text.length <= PIECE_CHARS) return pieceTokens(text, model);
  const sampled = Math.min(text.length, SAMPLE_CHARS);
  let tokens = 0;
  for (let at = 0; at < sampled; at += PIECE_CHARS) tokens += pieceTokens(text.slice(at, at + PIECE_CHARS), model);
  return Math.round((tokens * text.length) / sampled);
}

/** The tokenizer throws on special-token strings ("<|endoftext|>"), which a provider bills as plain text: about 4 characters a token. */
function pieceTokens(text: string, model: string): number {
  try {
    return countTextTokens(text, model).tokens;
  } catch {
    return Math.ceil(text.length / 4);
  }
}

/**
 * All the human-readable text in a content value, however the API nests it: strings in order,
 * a part's `text`, else its `content`. A loop with its own stack, not recursion: JSON.parse
 * accepts nesting a million levels deep, which a recursive walk would meet with a stack overflow.
 */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const texts: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      if (node) texts.push(node);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) pending.push(node[i]);
    } else if (isRecord(node)) {
      pending.push(typeof node['text'] === 'string' ? node['text'] : node['content']);
    }
  }
  return texts.join('\n');
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
