/**
 * The kinds of call the gateway proxies. A leaf shared by the pipeline (which serves them), the
 * provider adapters (which say where each is served) and the usage readers (which count them).
 */
export type EndpointKind = 'chat' | 'embeddings' | 'responses' | 'messages' | 'count_tokens';
