import http, { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { handleAdmin, type AdminDeps } from './api/admin';
import type { GatewayMetrics } from './api/metrics';
import { serveMetrics } from './api/metrics-endpoint';
import { handlePassthrough } from './pipeline/passthrough';
import { LIVE_PATH, type LiveFeed } from './api/live';
import { asGatewayError, GatewayError, sendError } from './http/errors';
import { answerClientError, refuseConnect } from './http/client-error';
import { checkLoopbackRequest } from './http/guard';
import { answerUnexpected, flavorOf } from './http/last-resort';
import { PROXY_ENDPOINTS } from './pipeline/endpoints';
import { handleModels } from './pipeline/models';
import { clientTagOf, handleProxy, respondWithError, type PipelineDeps } from './pipeline/proxy';
import { startCall } from './pipeline/call';
import { logRowSafely } from './pipeline/record-safely';
import { DEFER_HEADER, handleDefer } from './pipeline/defer';

export interface ServerDeps {
  pipeline: PipelineDeps;
  admin: AdminDeps;
  live: LiveFeed;
  metrics: GatewayMetrics;
  /** The response class (shutdown/drain.ts follows every response through it). */
  responseClass?: typeof ServerResponse;
}

type Handler = (req: IncomingMessage, res: ServerResponse, deps: ServerDeps) => Promise<void>;

/** The route table: method + path → handler. Proxy paths come from the endpoint table. */
const ROUTES = new Map<string, Handler>([
  ...PROXY_ENDPOINTS.map((endpoint): [string, Handler] => [
    `POST ${endpoint.path}`,
    (req, res, deps) =>
      req.headers[DEFER_HEADER] === undefined
        ? handleProxy(req, res, endpoint, deps.pipeline)
        : handleDefer(req, res, endpoint, { ...deps.admin.jobs, token: deps.pipeline.token }).catch((error: unknown) => refuseLogged(req, res, deps.pipeline, error)),
  ]),
  ['GET /v1/models', (req, res, deps) => handleModels(req, res, deps.pipeline)],
]);

const passthrough: Handler = (req, res, deps) => handlePassthrough(req, res, deps.pipeline);
const SERVED_PATHS = new Set([...ROUTES.keys()].map((route) => route.slice(route.indexOf(' ') + 1)));

export function createGatewayServer(deps: ServerDeps): http.Server {
  const server = http.createServer({ keepAliveTimeout: 30_000, ServerResponse: deps.responseClass ?? ServerResponse }, (req, res) => {
    // Handlers answer their own errors; this catches what they did not foresee.
    route(req, res, deps).catch((error: unknown) => answerUnexpected(req, res, error));
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    // Node hands over an upgraded socket without its own 'error' listener: a client that resets
    // while the answer is written would otherwise end the process (ECONNRESET, unhandled).
    socket.on('error', () => socket.destroy());
    if (pathOf(req.url) === LIVE_PATH) deps.live.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // A malformed request line or header never reaches a handler; answer it and keep serving.
  server.on('clientError', answerClientError);
  // Without a listener Node drops a CONNECT without a word; the caller should hear why.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseConnect(socket));
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const path = pathOf(req.url);
  if (path.startsWith('/tollgate/')) {
    if (guardFails(req, res)) return;
    return handleAdmin(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'), deps.admin);
  }
  if (path === '/metrics') {
    if (guardFails(req, res)) return;
    return serveMetrics(req, res, { metrics: deps.metrics, config: deps.admin.config, token: deps.admin.token });
  }
  // Every other path under /v1/ is passed through to a provider; a served path with another method is a 405.
  const handler = ROUTES.get(`${req.method} ${path}`) ?? (path.startsWith('/v1/') && !SERVED_PATHS.has(path) ? passthrough : undefined);
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
  // Endpoints are labels, interned once each: a path nobody serves is logged as "unknown" (its
  // method and path, cut short, are in the error message), not as a new label per path.
  const endpoint = PROXY_ENDPOINTS.find((e) => e.path === path)?.kind ?? (path === '/v1/models' ? 'models' : 'unknown');
  const call = startCall(endpoint, clientTagOf(req), 0);
  res.once('close', () => {
    const row = logRowSafely(call, res, runtime.config, false);
    if (row) deps.log.write(row);
  });
  req.resume();
  respondWithError(res, { flavor: flavorOf(req) }, call, error);
}

function notRouted(method: string, path: string): GatewayError {
  const known = [...ROUTES.keys()].find((key) => key.endsWith(` ${path}`));
  if (known) return new GatewayError(405, 'caller_method_not_allowed', `${method} is not allowed on ${path}; use ${known.split(' ')[0]}.`);
  return new GatewayError(
    404,
    'caller_not_found',
    `Tollgate does not serve ${method} ${shortened(path)}. Supported: ${[...ROUTES.keys()].join(', ')}, and any other path under /v1/ (passed through to a provider).`,
  );
}

const MAX_PATH_IN_MESSAGE = 200;

function shortened(path: string): string {
  return path.length > MAX_PATH_IN_MESSAGE ? `${path.slice(0, MAX_PATH_IN_MESSAGE)}… (${path.length} characters)` : path;
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
