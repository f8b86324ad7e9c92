import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigManager } from '../config/manager';
import { asGatewayError, GatewayError, sendError } from '../http/errors';
import { checkAdminToken } from './auth';
import type { GatewayMetrics } from './metrics';

/** GET /metrics: the token is required unless `server.metricsPublic` (the loopback guard applies either way). */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, deps: { metrics: GatewayMetrics; config: ConfigManager; token: string }): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new GatewayError(405, 'caller_method_not_allowed', '/metrics answers GET only.');
    if (!deps.config.current().config.server.metricsPublic) checkAdminToken(req, deps.token);
    const body = await deps.metrics.render();
    res.writeHead(200, { 'content-type': deps.metrics.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    sendError(res, 'openai', asGatewayError(error), {});
  }
}
