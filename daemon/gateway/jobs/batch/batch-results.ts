import { isRecord, parseJson } from '../../../shared/json';

/** One line of a batch's output or error file, by the job it answers. */
export type BatchLine =
  | { kind: 'answer'; status: number; body: unknown; requestId: string | null }
  /** The provider did not run the line (e.g. batch_expired): the job may still run now. */
  | { kind: 'not_run'; reason: string };

/**
 * Reads output and error files (JSONL, one result per line, in any order) into answers by
 * custom_id. A line that cannot be read is skipped: its job has no answer and runs now.
 */
export function parseBatchResults(...files: readonly string[]): Map<string, BatchLine> {
  const results = new Map<string, BatchLine>();
  for (const file of files) {
    for (const text of file.split('\n')) {
      const line = parseJson(text);
      if (!isRecord(line) || typeof line['custom_id'] !== 'string') continue;
      const response = line['response'];
      if (isRecord(response) && typeof response['status_code'] === 'number') {
        const requestId = typeof response['request_id'] === 'string' ? response['request_id'] : null;
        results.set(line['custom_id'], { kind: 'answer', status: response['status_code'], body: response['body'], requestId });
      } else {
        const error = isRecord(line['error']) ? line['error'] : {};
        results.set(line['custom_id'], { kind: 'not_run', reason: `${String(error['code'] ?? 'error')}: ${String(error['message'] ?? 'the provider did not run it')}` });
      }
    }
  }
  return results;
}
