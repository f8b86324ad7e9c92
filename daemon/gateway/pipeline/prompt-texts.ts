import { isRecord } from '../../shared/json';
import { messageText } from '../../shared/message-hash';
import type { EndpointKind } from '../endpoint-kind';
import type { ProxiedBody } from './request-schemas';

/**
 * How many leading texts of a call are indexed. A call site in code writes its first messages
 * literally (system prompt, instructions, the user template); what follows in a long
 * conversation comes from variables the hint server cannot hash anyway, and indexing it would
 * make every turn of a chat cost more to log than the one before.
 */
export const INDEXED_TEXTS = 4;

/**
 * The prompt texts of a call, one per message, in the form the hint server also extracts from
 * code: chat messages; Anthropic's system prompt and messages; the Responses API's
 * instructions and input. Their hashes index the call for "calls from this site".
 */
export function promptTextsOf(kind: EndpointKind, body: ProxiedBody): string[] {
  const texts: (string | undefined)[] = [];
  if (kind === 'chat' || kind === 'messages') {
    if (kind === 'messages') texts.push(messageText(body['system']));
    if (Array.isArray(body['messages'])) {
      for (const message of body['messages']) texts.push(messageText(contentOf(message)));
    }
  } else if (kind === 'responses') {
    texts.push(messageText(body['instructions']));
    const input = body['input'];
    if (typeof input === 'string') texts.push(input);
    else if (Array.isArray(input)) for (const item of input) texts.push(messageText(contentOf(item)));
  }
  return texts.filter((text): text is string => text !== undefined && text.length > 0).slice(0, INDEXED_TEXTS);
}

/** Validation checks chat and Anthropic messages are objects, not Responses input items: any of them may be null or a number. */
function contentOf(item: unknown): unknown {
  return isRecord(item) ? item['content'] : undefined;
}
