import type { Behavior, Scenario } from '../fixtures/fake-upstream';

/**
 * How the fake provider answers a fuzz request: the request names an answer in the
 * x-fuzz-upstream header, which the gateway forwards like any header of the caller's. Answers
 * marked `fails` are the provider's own failure, the only case in which a 5xx is acceptable.
 */
export const UPSTREAM_HEADER = 'x-fuzz-upstream';

interface UpstreamAnswer {
  scenario: Scenario;
  fails: boolean;
  weight: number;
  /** Not a model list the gateway takes (a stream, or over its 1 MB buffer): the provider's failure on GET /v1/models. */
  notAModelList?: boolean;
}

const DEEP = 20_000;
const deepContent = `${'['.repeat(DEEP)}"deep"${']'.repeat(DEEP)}`;
const deepChat = `{"id":"chatcmpl-deep","object":"chat.completion","created":0,"model":"gpt-4o-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":${deepContent}}}]}`;
const deepStream = `data: {"id":"c","object":"chat.completion.chunk","model":"gpt-\u65e5\u672c","choices":[{"index":0,"delta":{"content":${deepContent}}}]}\n\ndata: [DONE]\n\n`;
const word = JSON.stringify('a'.repeat(60_000));
/** Readable as a chat completion and as an Anthropic message, with no usage: the gateway counts the word. */
const longWord = `{"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":${word}}}],"type":"message","content":[{"type":"text","text":${word}}]}`;
/** Over the gateway's 1 MB buffer, so relayed as it arrives, with its facts picked from the bytes; hostile ones. */
const large = `{"object":"list","data":[${'{"x":[[[[1]]]]},'.repeat(80_000)}{}],"model":"gpt-\u65e5\u672c\u0000\r\nx: 1","usage":{"prompt_tokens":1e308,"completion_tokens":-1,"nested":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
const sse = 'text/event-stream';

const raw = (rawBody: string, contentType = 'application/json'): Scenario => ({ kind: 'status', status: 200, rawBody, contentType });

export const UPSTREAM_ANSWERS: Readonly<Record<string, UpstreamAnswer>> = {
  ok: { scenario: { kind: 'ok' }, fails: false, weight: 30 },
  'slow-stream': { scenario: { kind: 'ok', chunkDelayMs: 15 }, fails: false, weight: 2 },
  'served-unicode': { scenario: { kind: 'ok', servedModel: 'gpt-4o-\u65e5\u672c-\u0000\u202e' }, fails: false, weight: 4 },
  'served-control': { scenario: { kind: 'ok', servedModel: 'gpt-4o\r\nx-evil: 1\u0007' }, fails: false, weight: 3 },
  'served-long': { scenario: { kind: 'ok', servedModel: `gpt-${'\u00e9'.repeat(20_000)}` }, fails: false, weight: 1 },
  'usage-huge': { scenario: { kind: 'ok', usage: { promptTokens: 1e300, completionTokens: 1e300, cachedTokens: 1e300 } }, fails: false, weight: 3 },
  'usage-negative': { scenario: { kind: 'ok', usage: { promptTokens: -5, completionTokens: -1e12, reasoningTokens: -1 } }, fails: false, weight: 2 },
  'usage-odd': { scenario: { kind: 'ok', usage: { promptTokens: 0.5, completionTokens: 2 ** 53 + 2, cacheWriteTokens: 1e20 } }, fails: false, weight: 2 },
  'no-usage': { scenario: { kind: 'ok', omitUsage: true }, fails: false, weight: 4 },
  'text-special': { scenario: { kind: 'ok', omitUsage: true, text: '<|endoftext|> \u0000 \u65e5\u672c <|im_start|>' }, fails: false, weight: 2 },
  // Raw, so the fake does not count this word itself (the tokenizer's cost is quadratic in it).
  'raw-long-word': { scenario: raw(longWord), fails: false, weight: 1 },
  'headers-latin1': { scenario: { kind: 'ok', extraHeaders: { 'x-provider-note': 'caf\u00e9 \u00ff\u0080', 'x-long': 'v'.repeat(8_000) } }, fails: false, weight: 2 },
  'raw-deep-json': { scenario: raw(deepChat), fails: false, weight: 2 },
  'raw-deep-sse': { scenario: raw(deepStream, sse), fails: false, weight: 2, notAModelList: true },
  'raw-not-json': { scenario: raw('{"choices": [ not json'), fails: false, weight: 2 },
  'raw-wrong-types': { scenario: raw('{"model": 5, "usage": {"prompt_tokens": "many", "completion_tokens": [1]}, "choices": "none", "content": {"text": 7}}'), fails: false, weight: 2 },
  'raw-large': { scenario: raw(large), fails: false, weight: 2, notAModelList: true },
  'raw-array': { scenario: raw('[1, 2, 3]'), fails: false, weight: 1 },
  'raw-empty': { scenario: raw(''), fails: false, weight: 1 },
  'raw-garbage-sse': { scenario: raw('data: {"choices":[{"delta":\n\nevent: \u0000\ndata: [DONE\n\ndata: {"usage":{"prompt_tokens":1e400}}\n\n', sse), fails: false, weight: 2, notAModelList: true },
  'status-400': { scenario: { kind: 'status', status: 400, message: 'bad \u65e5\u672c \u0000' }, fails: false, weight: 2 },
  'status-404-raw': { scenario: { kind: 'status', status: 404, rawBody: '<html>\u0000</html>', contentType: 'text/html' }, fails: false, weight: 1 },
  'status-500': { scenario: { kind: 'status', status: 500 }, fails: true, weight: 2 },
  'status-503-raw': { scenario: { kind: 'status', status: 503, rawBody: 'x'.repeat(100_000), contentType: 'text/plain' }, fails: true, weight: 1 },
  'reset-before-headers': { scenario: { kind: 'reset-before-headers' }, fails: true, weight: 2 },
  'reset-mid-stream': { scenario: { kind: 'reset-mid-stream', afterEvents: 2 }, fails: true, weight: 2 },
  stall: { scenario: { kind: 'stall' }, fails: true, weight: 1 },
  'stall-mid-stream': { scenario: { kind: 'stall', afterEvents: 1 }, fails: true, weight: 1 },
  malformed: { scenario: { kind: 'malformed' }, fails: true, weight: 2 },
};

export const UPSTREAM_TABLE: readonly (readonly [number, string])[] = Object.entries(UPSTREAM_ANSWERS).map(([name, answer]) => [answer.weight, name] as const);

/** The fake's behaviour for the whole run: whatever the request's header names, else a plain answer. */
export const fuzzBehavior: Behavior = (req) => UPSTREAM_ANSWERS[req.headers[UPSTREAM_HEADER] ?? 'ok']?.scenario;
