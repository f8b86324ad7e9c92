import { isRecord } from '../../../shared/json';
import type { EndpointKind } from '../../endpoint-kind';
import { cacheKeyFor } from '../cache-key';

/** What a semantic lookup compares: the last user message, within a scope everything else must match. */
export interface SemanticQuery {
  scope: string;
  text: string;
}

/**
 * A request the semantic cache may answer, and its scope: a chat or Messages call whose last
 * message is the user's, in text only, with no tools. The scope is the exact cache's key of the
 * request with that message's text left out, so the endpoint, the resolved model, the system
 * prompt, earlier turns, the response format and every sampling parameter must match exactly;
 * only the last user message is compared by vector. Requests with tools or images are never
 * answered semantically (a near-duplicate with another tool result or picture is not the same
 * question).
 */
export function semanticQuery(endpoint: EndpointKind, provider: string, upstreamModel: string, body: Record<string, unknown>): SemanticQuery | undefined {
  if (endpoint !== 'chat' && endpoint !== 'messages') return undefined;
  if (hasTools(body)) return undefined;
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last = messages[messages.length - 1];
  if (!isRecord(last) || last['role'] !== 'user') return undefined;
  const text = textOf(last['content']);
  if (text === undefined || text.trim() === '') return undefined;
  for (const earlier of messages.slice(0, -1)) if (isRecord(earlier) && textOf(earlier['content']) === undefined && earlier['content'] !== null && earlier['content'] !== undefined) return undefined;
  const withoutText = { ...body, messages: [...messages.slice(0, -1), { ...last, content: '' }] };
  return { scope: cacheKeyFor({ endpoint, provider, upstreamModel, body: withoutText }), text };
}

function hasTools(body: Record<string, unknown>): boolean {
  return ['tools', 'functions', 'tool_choice', 'function_call'].some((name) => body[name] !== undefined && body[name] !== null);
}

/** A message's text: a string, or text parts only; undefined when it holds anything else (images, tool results). */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || part['type'] !== 'text' || typeof part['text'] !== 'string') return undefined;
    texts.push(part['text']);
  }
  return texts.join('\n');
}
