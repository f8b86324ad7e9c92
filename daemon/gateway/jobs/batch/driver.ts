import type { BatchLine } from './batch-results';

/** A provider's batch API, with the headers (its key included) every call carries. */
export interface BatchEndpoint {
  /** As configured: OpenAI's includes /v1, Anthropic's does not. */
  baseUrl: string;
  headers: Readonly<Record<string, string>>;
}

/** One job as a line of a provider batch. */
export interface BatchRequestLine {
  customId: string;
  /** The API path, e.g. /v1/chat/completions. */
  url: string;
  body: Record<string, unknown>;
}

export type PollResult = { done: false; status: string } | { done: true; status: string; results: Map<string, BatchLine> };

/**
 * What the batcher needs of a provider's batch API. Steps are split where money is spent:
 * `upload` is free and its result is committed before `create`, the paid step, whose id is
 * committed before any `poll`. `find` looks for a batch `create` made before a crash kept its id.
 */
export interface BatchDriver {
  readonly endpoints: ReadonlySet<string>;
  upload?(api: BatchEndpoint, lines: readonly BatchRequestLine[], name: string): Promise<string>;
  create(api: BatchEndpoint, input: { inputFileId: string | null; lines: readonly BatchRequestLine[]; endpoint: string; tollgateBatchId: string }): Promise<string>;
  find(api: BatchEndpoint, tollgateBatchId: string): Promise<string | undefined>;
  poll(api: BatchEndpoint, providerBatchId: string): Promise<PollResult>;
}

const TIMEOUT_MS = 120_000;

/** One call to a batch API; a non-2xx answer is an error (the batcher retries at the next poll). */
export async function batchCall(api: BatchEndpoint, method: string, path: string, body?: string | FormData): Promise<string> {
  const headers: Record<string, string> = { ...api.headers };
  if (typeof body === 'string') headers['content-type'] = 'application/json';
  const response = await fetch(`${api.baseUrl}${path}`, { method, headers, body: body ?? null, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path.split('?')[0]} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}
