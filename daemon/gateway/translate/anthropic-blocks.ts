import { isRecord, parseJson } from '../../shared/json';
import { untranslatable, type Json } from './refuse';

/** Building blocks of a Messages request, shared by the chat and Responses translations. */

export const TO_ANTHROPIC = 'an Anthropic-type provider (messages)';

/**
 * Anthropic requires max_tokens; OpenAI does not. 4096 is the largest output every current
 * Claude model accepts, so the call cannot fail on it; a caller wanting more says so.
 */
export const DEFAULT_MAX_TOKENS = 4096;

export interface Turn {
  role: 'user' | 'assistant';
  content: Json[];
}

/** Appends blocks to the conversation, merging consecutive turns of one role as Anthropic requires alternation. */
export function pushTurn(turns: Turn[], role: Turn['role'], blocks: Json[]): void {
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** An image from a data: URL (base64) or an http(s) URL. */
export function imageSourceOf(url: string, at: string): Json {
  const data = dataUrl(url);
  if (data) return { type: 'base64', media_type: data.mediaType, data: data.data };
  if (/^https?:\/\//.test(url)) return { type: 'url', url };
  throw untranslatable(at, 'only data: and http(s) image URLs have an equivalent', TO_ANTHROPIC);
}

/** A base64 PDF file as a document block, or undefined for anything else. */
export function pdfDocumentOf(fileData: unknown): Json | undefined {
  const data = typeof fileData === 'string' ? dataUrl(fileData) : undefined;
  return data?.mediaType === 'application/pdf' ? { type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.data } } : undefined;
}

function dataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,/.exec(url);
  return match ? { mediaType: match[1]!, data: url.slice(match[0].length) } : undefined;
}

/** OpenAI's tool_choice (chat and Responses spell a named function differently) and parallel_tool_calls. */
export function toolChoiceOf(choice: unknown, namedFunction: (choice: Json) => unknown, parallel: unknown): Json | undefined {
  let out: Json | undefined;
  if (choice === undefined || choice === null) out = undefined;
  else if (choice === 'auto' || choice === 'none') out = { type: choice };
  else if (choice === 'required') out = { type: 'any' };
  else {
    const name = typeof choice === 'object' ? namedFunction(choice as Json) : undefined;
    if (typeof name !== 'string') throw untranslatable('tool_choice', 'it has no equivalent', TO_ANTHROPIC);
    out = { type: 'tool', name };
  }
  if (parallel === false && out?.['type'] !== 'none') out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

/** A function tool's JSON Schema as Anthropic's input_schema; strict adherence has no equivalent. */
export function anthropicTool(fn: Json, at: string): Json {
  if (fn['strict'] === true) throw untranslatable(`${at}.strict`, 'strict schema adherence has no equivalent', TO_ANTHROPIC);
  const out: Json = { name: fn['name'], input_schema: fn['parameters'] ?? { type: 'object', properties: {} } };
  if (typeof fn['description'] === 'string') out['description'] = fn['description'];
  return out;
}

/** A tool call made earlier in the conversation, as a tool_use block: its arguments must be a JSON object. */
export function toolUseBlock(id: unknown, name: unknown, args: unknown, at: string): Json {
  const input = typeof args === 'string' ? (args === '' ? {} : parseJson(args)) : args;
  if (!isRecord(input)) throw untranslatable(at, 'Anthropic needs the arguments as a JSON object', TO_ANTHROPIC);
  return { type: 'tool_use', id, name, input };
}
