import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigManager } from '../config/manager';
import { enqueue, type JobQueue } from '../jobs/queue';
import { readBody } from '../http/body';
import { GatewayError } from '../http/errors';
import { sendJson } from '../http/respond';
import { admitJobs } from '../jobs/admission';
import { isRecord, parseJson } from '../../shared/json';
import { credentialOf } from './credentials';
import type { ProxyEndpoint } from './endpoints';

export const DEFER_HEADER = 'x-tollgate-defer';

/**
 * `x-tollgate-defer: now|batch` on any proxied call: the request becomes a job and the caller
 * gets 202 with its id (committed first), so existing code defers by adding one header. A job
 * runs later with the keys the gateway holds, so only a caller with the daemon token may defer:
 * a caller's own provider key would have to be stored, and keys are never written to disk.
 */
export async function handleDefer(req: IncomingMessage, res: ServerResponse, endpoint: ProxyEndpoint, deps: JobQueue & { config: ConfigManager; token: string }): Promise<void> {
  const mode = req.headers[DEFER_HEADER];
  if (mode !== 'now' && mode !== 'batch') throw new GatewayError(400, 'caller_invalid_request', `${DEFER_HEADER} must be "now" or "batch" (got "${String(mode).slice(0, 50)}").`);
  if (credentialOf(req, deps.token).kind !== 'gateway') {
    throw new GatewayError(401, 'caller_bad_token', `A deferred call runs later with the keys Tollgate holds: send the Tollgate token (see \`tollgate env\`), not a provider key, with ${DEFER_HEADER}.`);
  }
  const config = deps.config.current().config;
  const body = parseJson((await readBody(req, config.server.maxRequestBytes)).toString('utf8'));
  if (!isRecord(body)) throw new GatewayError(400, 'caller_invalid_json', 'The request body must be a JSON object.');
  const tag = req.headers['x-tollgate-tag'];
  const [job] = admitJobs([{ endpoint: endpoint.path, body, mode, tag: typeof tag === 'string' && tag !== '' ? tag.slice(0, 200) : undefined }], config.jobs.defaultDeadlineSeconds * 1000);
  enqueue(deps, [job!]);
  sendJson(res, 202, { id: job!.id, object: 'tollgate.job', status: 'queued' }, { 'x-tollgate-job-id': job!.id, location: `/tollgate/v1/jobs/${job!.id}` });
}
