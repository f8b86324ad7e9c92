import { isRecord, parseJson } from '../../../shared/json';
import type { BatchLine } from './batch-results';
import { batchCall, type BatchDriver } from './driver';

interface MessageBatch {
  id: string;
  processing_status: 'in_progress' | 'canceling' | 'ended';
  results_url: string | null;
}

/**
 * Anthropic's Message Batches: the requests go inline (no upload), the batch is polled until it
 * has ended, and its results (JSONL) are read from results_url. A message batch carries no
 * metadata, so `find` cannot tell which batch a crash left unrecorded (see the README).
 */
export const anthropicBatches: BatchDriver = {
  endpoints: new Set(['/v1/messages']),

  async create(api, { lines }) {
    const body = JSON.stringify({ requests: lines.map((line) => ({ custom_id: line.customId, params: line.body })) });
    return (JSON.parse(await batchCall(api, 'POST', '/v1/messages/batches', body)) as MessageBatch).id;
  },

  find: () => Promise.resolve(undefined),

  async poll(api, providerBatchId) {
    const batch = JSON.parse(await batchCall(api, 'GET', `/v1/messages/batches/${encodeURIComponent(providerBatchId)}`)) as MessageBatch;
    if (batch.processing_status !== 'ended' || !batch.results_url) return { done: false, status: batch.processing_status };
    const results = await batchCall({ ...api, baseUrl: '' }, 'GET', batch.results_url);
    return { done: true, status: 'ended', results: parseMessageResults(results) };
  },
};

/**
 * Result lines by custom_id: a succeeded line's message is the answer; an errored line the
 * provider blames on the request (invalid_request_error) is a 400 answer; server errors,
 * expired and canceled lines were not really run and may run now.
 */
export function parseMessageResults(text: string): Map<string, BatchLine> {
  const results = new Map<string, BatchLine>();
  for (const raw of text.split('\n')) {
    const line = parseJson(raw);
    if (!isRecord(line) || typeof line['custom_id'] !== 'string' || !isRecord(line['result'])) continue;
    const result = line['result'];
    const inner = isRecord(result['error']) && isRecord(result['error']['error']) ? result['error']['error'] : undefined;
    if (result['type'] === 'succeeded') results.set(line['custom_id'], { kind: 'answer', status: 200, body: result['message'], requestId: null });
    else if (result['type'] === 'errored' && inner?.['type'] === 'invalid_request_error') results.set(line['custom_id'], { kind: 'answer', status: 400, body: result['error'], requestId: null });
    else results.set(line['custom_id'], { kind: 'not_run', reason: `${String(result['type'])}${inner ? `: ${String(inner['message'])}` : ''}` });
  }
  return results;
}
