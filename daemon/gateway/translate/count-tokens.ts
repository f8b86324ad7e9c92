import type { ServerResponse } from 'node:http';
import { stringifyJson } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';
import type { ProxyCall } from '../pipeline/call';
import { tollgateHeaders } from '../pipeline/headers';
import type { ProviderAdapter } from '../providers/types';
import { estimateUsage, textTokens } from '../usage/estimate';
import { messagesToChatRequest } from './messages-to-chat-request';
import type { Json } from './refuse';

/**
 * Anthropic's token counting for a model an OpenAI-type provider serves, which has no such
 * endpoint: counted by the gateway with the model's tokenizer (the request as it would be
 * translated, tool definitions included), free, and logged as an estimate. Anthropic-shaped
 * tools (Claude Code) ask before they send, so a 400 here would break them.
 */
export function countsLocally(kind: EndpointKind, adapter: ProviderAdapter): boolean {
  return kind === 'count_tokens' && adapter.paths.count_tokens === undefined && adapter.paths.chat !== undefined;
}

export function answerTokenCount(res: ServerResponse, call: ProxyCall, body: Json, model: string): void {
  const chat = messagesToChatRequest({ ...body, max_tokens: 1 });
  const tools = Array.isArray(chat['tools']) ? textTokens(stringifyJson(chat['tools']), model) : 0;
  const inputTokens = estimateUsage('chat', chat, undefined, model).inputTokens + tools;
  call.facts = { usage: { inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } };
  call.usageSource = 'estimated';
  const answer = Buffer.from(stringifyJson({ input_tokens: inputTokens }));
  call.response.add(answer);
  call.ttfbMs = performance.now() - call.t0;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length, ...tollgateHeaders(call), 'x-tollgate-cost-usd': '0', 'x-tollgate-estimated': 'true' });
  res.end(answer);
}
