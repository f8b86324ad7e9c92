import http, { ServerResponse, type IncomingMessage } from 'node:http';
import { handleAdmin, type AdminDeps } from './api/admin';
import { LIVE_PATH, type LiveFeed } from './api/live';
import { asGatewayError, GatewayError, sendError } from './http/errors';
import { checkLoopbackRequest } from './http/guard';
import { PROXY_ENDPOINTS } from './pipeline/endpoints';
import { handleModels } from './pipeline/models';
import { handleProxy, respondWithError, type PipelineDeps } from './pipeline/proxy';
import { startCall } from './pipeline/call';
import { buildLogRow } from './pipeline/record';

export interface ServerDeps {
  pipeline: PipelineDeps;
  admin: AdminDeps;
  live: LiveFeed;
  /** The response class (shutdown/drain.ts follows every response through it). */
  responseClass?: typeof ServerResponse;
}

type Handler = (req: IncomingMessage, res: ServerResponse, deps: ServerDeps) => Promise<void>;

/** The route table: method + path → handler. Proxy paths come from the endpoint table. */
const ROUTES = new Map<string, Handler>([
  ...PROXY_ENDPOINTS.map((endpoint): [string, Handler] => [
    `POST ${endpoint.path}`,
    (req, res, deps) => handleProxy(req, res, endpoint, deps.pipeline),
  ]),
  ['GET /v1/models', (req, res, deps) => handleModels(req, res, deps.pipeline)],
]);

export function createGatewayServer(deps: ServerDeps): http.Server {
  const server = http.createServer({ keepAliveTimeout: 30_000, ServerResponse: deps.responseClass ?? ServerResponse }, (req, res) => {
    void route(req, res, deps);
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    if (pathOf(req.url) === LIVE_PATH) deps.live.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // A malformed request line or header never reaches a handler; answer it and keep serving.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const path = pathOf(req.url);
  if (path.startsWith('/tollgate/')) {
    if (guardFails(req, res)) return;
    return handleAdmin(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'), deps.admin);
  }
  const handler = ROUTES.get(`${req.method} ${path}`);
  try {
    checkLoopbackRequest(req);
    if (!handler) throw notRouted(req.method ?? 'GET', path);
  } catch (error) {
    return refuseLogged(req, res, deps.pipeline, error);
  }
  return handler(req, res, deps);
}

function guardFails(req: IncomingMessage, res: ServerResponse): boolean {
  try {
    checkLoopbackRequest(req);
    return false;
  } catch (error) {
    sendError(res, 'openai', asGatewayError(error));
    return true;
  }
}

/** Refusals of would-be LLM calls are logged like any other call: every request appears once. */
function refuseLogged(req: IncomingMessage, res: ServerResponse, deps: PipelineDeps, error: unknown): void {
  const runtime = deps.config.current();
  const path = pathOf(req.url);
  const endpoint = PROXY_ENDPOINTS.find((e) => e.path === path)?.kind ?? (path === '/v1/models' ? 'models' : path);
  const call = startCall(endpoint, null, 0);
  res.once('close', () => deps.log.write(buildLogRow(call, res, runtime.config, false)));
  req.resume();
  respondWithError(res, { flavor: req.headers['anthropic-version'] ? 'anthropic' : 'openai' }, call, error);
}

function notRouted(method: string, path: string): GatewayError {
  const known = [...ROUTES.keys()].find((key) => key.endsWith(` ${path}`));
  if (known) return new GatewayError(405, 'caller_method_not_allowed', `${method} is not allowed on ${path}; use ${known.split(' ')[0]}.`);
  return new GatewayError(
    404,
    'caller_not_found',
    `Tollgate does not serve ${method} ${path}. Supported: ${[...ROUTES.keys()].join(', ')}.`,
  );
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
