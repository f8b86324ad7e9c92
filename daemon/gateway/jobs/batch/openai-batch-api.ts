import { parseBatchResults } from './batch-results';
import { batchCall, type BatchDriver, type BatchEndpoint } from './driver';

interface OpenAiBatch {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  metadata: Record<string, string> | null;
}

const RUNNING = new Set(['validating', 'in_progress', 'finalizing', 'cancelling']);

/**
 * OpenAI's Files and Batch APIs: the JSONL input uploaded to /files, a batch created (tagged
 * with Tollgate's batch id in its metadata, so a restart finds one it made but had not
 * recorded), polled, and its output and error files read.
 */
export const openaiBatches: BatchDriver = {
  endpoints: new Set(['/v1/chat/completions', '/v1/embeddings', '/v1/responses']),

  async upload(api, lines, name) {
    const jsonl = lines.map((line) => JSON.stringify({ custom_id: line.customId, method: 'POST', url: line.url, body: line.body }));
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([`${jsonl.join('\n')}\n`], { type: 'application/jsonl' }), `${name}.jsonl`);
    return (JSON.parse(await batchCall(api, 'POST', '/files', form)) as { id: string }).id;
  },

  async create(api, { inputFileId, endpoint, tollgateBatchId }) {
    const body = JSON.stringify({ input_file_id: inputFileId, endpoint, completion_window: '24h', metadata: { tollgate_batch: tollgateBatchId } });
    return (JSON.parse(await batchCall(api, 'POST', '/batches', body)) as OpenAiBatch).id;
  },

  async find(api, tollgateBatchId) {
    const page = JSON.parse(await batchCall(api, 'GET', '/batches?limit=100')) as { data: OpenAiBatch[] };
    return page.data.find((batch) => batch.metadata?.['tollgate_batch'] === tollgateBatchId)?.id;
  },

  async poll(api, providerBatchId) {
    const batch = JSON.parse(await batchCall(api, 'GET', `/batches/${encodeURIComponent(providerBatchId)}`)) as OpenAiBatch;
    if (RUNNING.has(batch.status)) return { done: false, status: batch.status };
    const files = [batch.output_file_id, batch.error_file_id].filter((id): id is string => typeof id === 'string');
    const contents = await Promise.all(files.map((id) => fileContent(api, id)));
    return { done: true, status: batch.status, results: parseBatchResults(...contents) };
  },
};

function fileContent(api: BatchEndpoint, fileId: string): Promise<string> {
  return batchCall(api, 'GET', `/files/${encodeURIComponent(fileId)}/content`);
}
