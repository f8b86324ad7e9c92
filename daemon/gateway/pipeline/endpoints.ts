import type { z } from 'zod';
import type { EndpointKind } from '../endpoint-kind';
import type { ApiFlavor } from '../http/errors';
import { anthropicMessagesUsage } from '../usage/anthropic-messages';
import { openaiChatUsage } from '../usage/openai-chat';
import { openaiEmbeddingsUsage } from '../usage/openai-embeddings';
import { openaiResponsesUsage } from '../usage/openai-responses';
import type { UsageReader } from '../usage/types';
import {
  anthropicCountTokensRequest,
  anthropicMessagesRequest,
  chatCompletionRequest,
  embeddingsRequest,
  responsesRequest,
  type ProxiedBody,
} from './request-schemas';

export interface ProxyEndpoint {
  kind: EndpointKind;
  path: string;
  /** The caller's API: decides the error body shape. */
  flavor: ApiFlavor;
  schema: z.ZodType<ProxiedBody>;
  usage: UsageReader;
  /** Whether the call is billed (count_tokens is free). */
  billed: boolean;
}

/** The proxy's route table: path → what the body must look like and how to read its usage. */
export const PROXY_ENDPOINTS: readonly ProxyEndpoint[] = [
  { kind: 'chat', path: '/v1/chat/completions', flavor: 'openai', schema: chatCompletionRequest, usage: openaiChatUsage, billed: true },
  { kind: 'embeddings', path: '/v1/embeddings', flavor: 'openai', schema: embeddingsRequest, usage: openaiEmbeddingsUsage, billed: true },
  { kind: 'responses', path: '/v1/responses', flavor: 'openai', schema: responsesRequest, usage: openaiResponsesUsage, billed: true },
  { kind: 'messages', path: '/v1/messages', flavor: 'anthropic', schema: anthropicMessagesRequest, usage: anthropicMessagesUsage, billed: true },
  {
    kind: 'count_tokens',
    path: '/v1/messages/count_tokens',
    flavor: 'anthropic',
    schema: anthropicCountTokensRequest,
    usage: anthropicMessagesUsage,
    billed: false,
  },
];

const USAGE_BY_KIND = new Map(PROXY_ENDPOINTS.map((endpoint) => [endpoint.kind, endpoint.usage]));

/** How to read usage from an answer in the API of `kind`: a translated call's provider answers in its own. */
export function usageReaderOf(kind: EndpointKind): UsageReader {
  return USAGE_BY_KIND.get(kind)!;
}
