/**
 * OpenAI's Files and Batch APIs, as much as the batcher needs: upload the JSONL input, create a
 * batch (tagged with Tollgate's batch id in its metadata, so a restart can find a batch it
 * created but had not yet recorded), poll it, and read its output and error files.
 */
export interface ProviderBatch {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  metadata: Record<string, string> | null;
}

export interface BatchEndpoint {
  /** With the version, as configured: https://api.openai.com/v1 */
  baseUrl: string;
  apiKey: string;
  headers: Readonly<Record<string, string>>;
}

const TIMEOUT_MS = 120_000;

export async function uploadBatchFile(api: BatchEndpoint, jsonl: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([jsonl], { type: 'application/jsonl' }), `${name}.jsonl`);
  const file = await call<{ id: string }>(api, 'POST', '/files', form);
  return file.id;
}

export function createBatch(api: BatchEndpoint, inputFileId: string, endpoint: string, tollgateBatchId: string): Promise<ProviderBatch> {
  const body = JSON.stringify({ input_file_id: inputFileId, endpoint, completion_window: '24h', metadata: { tollgate_batch: tollgateBatchId } });
  return call<ProviderBatch>(api, 'POST', '/batches', body);
}

export function getBatch(api: BatchEndpoint, id: string): Promise<ProviderBatch> {
  return call<ProviderBatch>(api, 'GET', `/batches/${encodeURIComponent(id)}`);
}

/** The provider batch made for this Tollgate batch, if one was created before a crash kept its id from the database. */
export async function findBatch(api: BatchEndpoint, tollgateBatchId: string): Promise<ProviderBatch | undefined> {
  const page = await call<{ data: ProviderBatch[] }>(api, 'GET', '/batches?limit=100');
  return page.data.find((batch) => batch.metadata?.['tollgate_batch'] === tollgateBatchId);
}

export async function fileContent(api: BatchEndpoint, fileId: string): Promise<string> {
  const response = await fetch(`${api.baseUrl}/files/${encodeURIComponent(fileId)}/content`, { headers: headersOf(api), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET /files/${fileId}/content answered ${response.status}`);
  return response.text();
}

async function call<T>(api: BatchEndpoint, method: string, path: string, body?: string | FormData): Promise<T> {
  const headers = headersOf(api);
  if (typeof body === 'string') headers['content-type'] = 'application/json';
  const response = await fetch(`${api.baseUrl}${path}`, { method, headers, body: body ?? null, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path.split('?')[0]} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

function headersOf(api: BatchEndpoint): Record<string, string> {
  return { ...api.headers, authorization: `Bearer ${api.apiKey}` };
}
