import type { LogRow } from '../../daemon/gateway/store/log-row';

/** A finished call as the pipeline hands it to the log, with whatever a test overrides. */
export function row(overrides: Partial<LogRow>): LogRow {
  return {
    id: `req_${Math.random().toString(36).slice(2)}`,
    ts: Date.now(),
    endpoint: 'chat',
    requestedModel: 'gpt-4o-mini',
    servedModel: 'gpt-4o-mini',
    provider: 'openai',
    keyAlias: 'openai#1',
    clientTag: null,
    status: 200,
    errorClass: null,
    errorMessage: null,
    stream: false,
    latencyMs: 10,
    ttfbMs: 9,
    promptTokens: 100,
    completionTokens: 10,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.001,
    costEstimated: false,
    cache: 'off',
    attempts: 1,
    attemptLog: null,
    requestBody: Buffer.from('{"request":true}'),
    responseBody: Buffer.from('{"response":true}'),
    requestTruncated: false,
    responseTruncated: false,
    promptTexts: ['You are a careful assistant who answers in exactly two sentences.'],
    cacheEntry: undefined,
    ...overrides,
  };
}
