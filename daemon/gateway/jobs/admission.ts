import { randomBytes } from 'node:crypto';
import type { JobRequest } from '../api/job-contracts';
import { GatewayError } from '../http/errors';
import { PROXY_ENDPOINTS } from '../pipeline/endpoints';
import { stringifyJson } from '../../shared/json';
import type { NewJob } from '../store/job-store';

const BILLED_PATHS = PROXY_ENDPOINTS.filter((endpoint) => endpoint.billed);

/**
 * Checks deferred requests as the proxy would check them, before any is stored: a mistake is
 * answered now, with the index of the request at fault, rather than found hours later as a
 * failed job. Streams are refused because a job's answer is kept and read later, whole.
 */
export function admitJobs(requests: readonly JobRequest[], defaultDeadlineMs: number, now = Date.now()): NewJob[] {
  return requests.map((request, index) => {
    const where = requests.length > 1 ? `requests[${index}]: ` : '';
    const endpoint = BILLED_PATHS.find((e) => e.path === request.endpoint);
    if (!endpoint) {
      throw new GatewayError(400, 'caller_invalid_request', `${where}endpoint "${request.endpoint.slice(0, 200)}" cannot be deferred; use one of ${BILLED_PATHS.map((e) => e.path).join(', ')}.`, {
        param: 'endpoint',
      });
    }
    const parsed = endpoint.schema.safeParse(request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      throw new GatewayError(400, 'caller_invalid_request', `${where}body: ${problems.join('; ')}`, { param: 'body' });
    }
    if (request.body['stream'] === true) {
      throw new GatewayError(400, 'caller_invalid_request', `${where}a deferred request cannot stream: its answer is kept and read whole; drop "stream".`, { param: 'body.stream' });
    }
    const model = typeof request.body['model'] === 'string' ? request.body['model'] : null;
    return {
      id: newJobId(),
      endpoint: endpoint.path,
      model,
      body: stringifyJson(request.body),
      mode: request.mode,
      tag: request.tag ?? null,
      deadlineAt: now + (request.deadline ?? defaultDeadlineMs),
    };
  });
}

export function newJobId(): string {
  return `job_${randomBytes(12).toString('base64url')}`;
}
