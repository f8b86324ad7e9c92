import type { JobView } from '../api/job-contracts';
import type { JobRow } from '../store/job-store';
import { parseJson } from '../../shared/json';

/** A job as the API shows it: the stored answer is given back as the JSON the provider sent. */
export function jobView(row: JobRow): JobView {
  let response: JobView['response'] = null;
  if (row.responseStatus !== null && row.responseBody !== null) {
    const text = row.responseBody.toString('utf8');
    response = { status: row.responseStatus, body: parseJson(text) ?? text };
  }
  return {
    id: row.id,
    object: 'tollgate.job',
    status: row.status,
    mode: row.mode,
    endpoint: row.endpoint,
    model: row.model,
    tag: row.tag,
    attempts: row.attempts,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    deadlineAt: row.deadlineAt,
    requestId: row.requestId,
    error: row.error,
    response,
  };
}
