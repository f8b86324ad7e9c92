import { messageText } from '../../shared/message-hash';
import type { EndpointKind } from './endpoints';
import type { ProxiedBody } from './request-schemas';

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
      for (const message of body['messages']) texts.push(messageText((message as { content?: unknown }).content));
    }
  } else if (kind === 'responses') {
    texts.push(messageText(body['instructions']));
    const input = body['input'];
    if (typeof input === 'string') texts.push(input);
    else if (Array.isArray(input)) for (const item of input) texts.push(messageText((item as { content?: unknown }).content));
  }
  return texts.filter((text): text is string => text !== undefined && text.length > 0);
}
