import type { EndpointKind } from '../endpoint-kind';
import type { ProviderAdapter } from '../providers/types';
import { chatToMessagesRequest } from './chat-to-messages-request';
import { ChatStreamToMessages } from './chat-stream-to-messages';
import { chatCompletionOfMessage, messageOfChatCompletion } from './json-answers';
import { messagesToChatRequest } from './messages-to-chat-request';
import { MessagesStreamToChat } from './messages-stream-to-chat';
import type { Json } from './refuse';
import { responseOfMessage } from './responses-answers';
import { responsesToMessagesRequest } from './responses-to-messages-request';
import { MessagesStreamToResponses } from './messages-stream-to-responses';
import type { StreamTranslator } from './stream-translator';

/**
 * How a call made in one API is served by a provider that speaks another: the endpoint the
 * provider is called on, and the three conversions (request out, answer back, stream back).
 * Model resolution picks the provider; the caller's API decides the answer's shape.
 */
export interface Translation {
  /** The provider's endpoint for this call. */
  readonly wire: EndpointKind;
  /** The caller's body in the provider's API; throws a 400 GatewayError for a field with no equivalent. */
  request(body: Json): Json;
  /** The provider's JSON answer in the caller's API; throws a 502 GatewayError when it cannot be read. */
  answer(json: unknown): Json;
  /** A translator for one streamed answer. */
  stream(): StreamTranslator;
}

const MESSAGES_VIA_CHAT: Translation = {
  wire: 'chat',
  request: messagesToChatRequest,
  answer: messageOfChatCompletion,
  stream: () => new ChatStreamToMessages(),
};

const CHAT_VIA_MESSAGES: Translation = {
  wire: 'messages',
  request: chatToMessagesRequest,
  answer: (json) => chatCompletionOfMessage(json),
  stream: () => new MessagesStreamToChat(),
};

const RESPONSES_VIA_MESSAGES: Translation = {
  wire: 'messages',
  request: responsesToMessagesRequest,
  answer: (json) => responseOfMessage(json),
  stream: () => new MessagesStreamToResponses(),
};

/** Caller's endpoint → the translations that can serve it, in order of preference. */
const TRANSLATIONS: Partial<Record<EndpointKind, readonly Translation[]>> = {
  messages: [MESSAGES_VIA_CHAT],
  chat: [CHAT_VIA_MESSAGES],
  responses: [RESPONSES_VIA_MESSAGES],
};

/**
 * How a provider serves an endpoint: natively (undefined), through a translation, or not at all
 * (null). The native check comes first and allocates nothing: it is every call's path.
 */
export function translationFor(kind: EndpointKind, adapter: ProviderAdapter): Translation | undefined | null {
  if (adapter.paths[kind] !== undefined) return undefined;
  return TRANSLATIONS[kind]?.find((translation) => adapter.paths[translation.wire] !== undefined) ?? null;
}

