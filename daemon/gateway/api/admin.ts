import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { ConfigError } from '../config/load';
import type { ConfigManager } from '../config/manager';
import type { RuntimeConfig } from '../config/runtime';
import { readBody } from '../http/body';
import { asGatewayError, GatewayError, sendError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Flights } from '../cache/flights';
import type { ResponseCache } from '../cache/response-cache';
import type { SemanticCache } from '../cache/semantic/semantic-cache';
import { routingWhatIf } from '../routing/what-if';
import { advise } from '../advice/advisor';
import type { NearDuplicateSampler } from '../advice/near-duplicate-sampler';
import type { AdviceQueries } from '../store/advice-queries';
import { adviceQuery, type AdviceResponse } from './advice-contracts';
import { costBreakdown } from './cost-breakdown';
import { seriesQuery, type SeriesResponse } from './series-contracts';
import type { SeriesQueries } from '../store/series-queries';
import { candidateModels } from '../../pricing/models';
import { modelPriceInfo } from '../../pricing/price';
import type { WhatIfQueries } from '../store/whatif-queries';
import type { CallSiteQueries } from '../store/callsite-queries';
import type { LogWriter } from '../store/log-writer';
import type { RequestQueries } from '../store/request-queries';
import type { StatsQueries } from '../store/stats-queries';
import { isRecord, nestedDeeperThan, parseJson, stringifyJson } from '../../shared/json';
import { budgetStatuses } from '../budgets/policy';
import { startOfLocalDay } from '../../shared/local-time';
import type { SpendTracker } from '../budgets/tracker';
import { checkAdminToken } from './auth';
import { logHealthOf, logWarnings, statsIncompleteness } from './log-health';
import { redactConfig, REDACTED, restoreRedacted } from './config-redaction';
import { cacheDeleteQuery, cacheQuery, callSitesQuery, pushKeysBody, whatIfQuery, requestsQuery, sinceMs, statsApiQuery, type HealthResponse, type CacheResponse, type RequestDetail, type KeysResponse, type RouteResponse, type RoutingModelsResponse, type WhatIfResponse } from './contracts';
import type { ConfigResponse, ConfigUpdateResponse } from './config-contracts';
import { resolveModel } from '../routing/resolve';
import { cancelJob, getJob, listJobs, submitJobs, type JobsDeps } from './jobs';

export interface AdminDeps {
  token: string;
  config: ConfigManager;
  requests: RequestQueries;
  stats: StatsQueries;
  writer: LogWriter;
  cache: ResponseCache;
  flights: Flights;
  semantic: SemanticCache;
  whatIf: WhatIfQueries;
  advice: AdviceQueries;
  nearDuplicates: NearDuplicateSampler;
  series: SeriesQueries;
  callSites: CallSiteQueries;
  spend: SpendTracker;
  jobs: JobsDeps;
  info: { version: string; port: () => number; dataDir: string; startedAt: number };
}

type AdminHandler = (req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps, id?: string) => void | Promise<void>;

const JOB_PATH = /^\/tollgate\/v1\/jobs\/([A-Za-z0-9_-]+)$/;

/** The admin route table: method and path → handler. Every route needs the daemon token. */
const ROUTES: readonly { method: string; pattern: RegExp; handler: AdminHandler }[] = [
  { method: 'GET', pattern: /^\/tollgate\/v1\/health$/, handler: health },
  { method: 'GET', pattern: /^\/tollgate\/v1\/requests$/, handler: listRequests },
  { method: 'GET', pattern: /^\/tollgate\/v1\/requests\/([A-Za-z0-9_]+)$/, handler: requestDetail },
  { method: 'GET', pattern: /^\/tollgate\/v1\/stats$/, handler: stats },
  { method: 'GET', pattern: /^\/tollgate\/v1\/series$/, handler: series },
  { method: 'GET', pattern: /^\/tollgate\/v1\/config$/, handler: getConfig },
  { method: 'PUT', pattern: /^\/tollgate\/v1\/config$/, handler: putConfig },
  { method: 'PATCH', pattern: /^\/tollgate\/v1\/config$/, handler: patchConfig },
  { method: 'GET', pattern: /^\/tollgate\/v1\/keys$/, handler: listKeys },
  { method: 'PUT', pattern: /^\/tollgate\/v1\/keys\/([A-Za-z0-9._-]+)$/, handler: putKeys },
  { method: 'DELETE', pattern: /^\/tollgate\/v1\/keys\/([A-Za-z0-9._-]+)$/, handler: deleteKeys },
  { method: 'GET', pattern: /^\/tollgate\/v1\/route$/, handler: route },
  { method: 'GET', pattern: /^\/tollgate\/v1\/cache$/, handler: cacheState },
  { method: 'GET', pattern: /^\/tollgate\/v1\/routing\/what-if$/, handler: whatIf },
  { method: 'GET', pattern: /^\/tollgate\/v1\/routing\/models$/, handler: routingModels },
  { method: 'GET', pattern: /^\/tollgate\/v1\/advice$/, handler: advice },
  { method: 'DELETE', pattern: /^\/tollgate\/v1\/cache$/, handler: clearCache },
  { method: 'POST', pattern: /^\/tollgate\/v1\/callsites$/, handler: callSites },
  { method: 'POST', pattern: /^\/tollgate\/v1\/jobs$/, handler: (req, res, _url, deps) => submitJobs(req, res, deps.jobs) },
  { method: 'GET', pattern: /^\/tollgate\/v1\/jobs$/, handler: (_req, res, url, deps) => listJobs(res, url, deps.jobs) },
  { method: 'GET', pattern: JOB_PATH, handler: (_req, res, url, deps, id) => getJob(res, url, deps.jobs, id!) },
  { method: 'DELETE', pattern: JOB_PATH, handler: (_req, res, _url, deps, id) => cancelJob(res, deps.jobs, id!) },
];

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): Promise<void> {
  try {
    checkAdminToken(req, deps.token);
    const matches = ROUTES.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((m) => m.match);
    if (matches.length === 0) throw new GatewayError(404, 'caller_not_found', `No admin endpoint at ${url.pathname}`);
    const found = matches.find((m) => m.route.method === req.method);
    if (!found) throw new GatewayError(405, 'caller_method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
    await found.route.handler(req, res, url, deps, found.match![1]);
  } catch (error) {
    sendError(res, 'openai', asGatewayError(error));
  }
}

function health(_req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): void {
  const runtime = deps.config.current();
  const log = logHealthOf(deps.writer.status());
  const body: HealthResponse = {
    ok: true,
    version: deps.info.version,
    pid: process.pid,
    port: deps.info.port(),
    uptimeS: Math.round((Date.now() - deps.info.startedAt) / 1000),
    dataDir: deps.info.dataDir,
    configPath: deps.config.path,
    providers: runtime.providerList.map((p) => ({ id: p.id, type: p.type, keys: p.keys.length })),
    warnings: [...runtime.warnings, ...logWarnings(log)],
    lastReload: deps.config.lastReload,
    pendingLogWrites: log.pending,
    log,
    memoryMb: memoryMb(),
  };
  sendJson(res, 200, body);
}

function memoryMb(): HealthResponse['memoryMb'] {
  const usage = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return { rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), heapTotal: mb(usage.heapTotal), external: mb(usage.external) };
}

function listRequests(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  sendJson(res, 200, deps.requests.list(parseQuery(requestsQuery, url)));
}

function requestDetail(_req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps, id?: string): void {
  const detail = deps.requests.get(id ?? '');
  if (!detail) throw new GatewayError(404, 'caller_not_found', `No request with id ${id}`);
  sendJson(res, 200, { ...detail, costBreakdown: costBreakdown(detail, deps.config.current()) } satisfies RequestDetail);
}

function stats(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const incomplete = statsIncompleteness(logHealthOf(deps.writer.status()));
  const budgets = budgetStatuses(deps.config.current().config, deps.spend);
  const query = parseQuery(statsApiQuery, url);
  const since = query.since === undefined ? undefined : sinceMs(query.since, query.tzOffsetMinutes);
  const figures = deps.stats.query({ ...query, since });
  const deferred = deps.jobs.store.spend(figures.since, figures.until);
  sendJson(res, 200, { ...figures, budgets, ...(incomplete && { incomplete }), ...(deferred.jobs > 0 && { deferred }) });
}

/** GET /tollgate/v1/series: per bucket, streams' time to first token, calls that met a 429, fallbacks. */
function series(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const query = parseQuery(seriesQuery, url);
  const until = query.until ?? Date.now();
  const since = query.since === undefined ? until - 86_400_000 : sinceMs(query.since, query.tzOffsetMinutes, until);
  sendJson(res, 200, deps.series.query(since, until, query.bucket, query.tzOffsetMinutes) satisfies SeriesResponse);
}

function getConfig(_req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): void {
  sendJson(res, 200, { path: deps.config.path, config: redactConfig(deps.config.current().config) } satisfies ConfigResponse);
}

/** PUT: the whole config. JSON only, validated whole, written atomically with a backup of the old file. */
async function putConfig(req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): Promise<void> {
  applyConfig(res, deps, await readJsonBody(req, CONFIG_BODY_LIMIT, 'Config'));
}

/** PATCH: a JSON Merge Patch (RFC 7396) applied to the config file as written, then validated whole. */
async function patchConfig(req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): Promise<void> {
  const patch = await readJsonBody(req, CONFIG_BODY_LIMIT, 'A config patch');
  if (!isRecord(patch)) throw new GatewayError(400, 'caller_invalid_request', 'A config patch must be a JSON object (RFC 7396 merge patch).');
  // A merge patch is applied as deep as it goes; no config is nested more than a few levels.
  if (nestedDeeperThan(patch, 32)) throw new GatewayError(400, 'caller_invalid_request', 'A config patch nested deeper than 32 levels cannot apply to any config.');
  // A patch names what it changes; a redacted key in it can only be a mistake (keys are sent whole or as env: references).
  if (stringifyJson(patch).includes(JSON.stringify(REDACTED))) {
    throw new GatewayError(400, 'caller_invalid_request', `A config patch cannot carry "${REDACTED}"; send the key or an env: reference.`);
  }
  answerConfigUpdate(res, deps, () => deps.config.patch(patch));
}

const CONFIG_BODY_LIMIT = 1024 * 1024;

function applyConfig(res: ServerResponse, deps: AdminDeps, document: unknown): void {
  const restored = restoreRedacted(document, deps.config.current().config);
  if (stringifyJson(restored).includes(JSON.stringify(REDACTED))) {
    throw new GatewayError(400, 'caller_invalid_request', `An apiKeys entry is "${REDACTED}" but no key is kept at that place; send the key or an env: reference.`);
  }
  answerConfigUpdate(res, deps, () => deps.config.replace(restored));
}

/**
 * Applies a config change and answers with the new config; a change the schema refuses is a 400
 * naming every problem, and a config file that cannot be read as it stands (a patch applies to
 * it) is a 409.
 */
function answerConfigUpdate(res: ServerResponse, deps: AdminDeps, update: () => RuntimeConfig): void {
  try {
    const runtime = update();
    sendJson(res, 200, { path: deps.config.path, config: redactConfig(runtime.config), warnings: [...runtime.warnings] } satisfies ConfigUpdateResponse);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error.source === deps.config.path) throw new GatewayError(409, 'caller_invalid_request', `Cannot patch ${deps.config.path}: ${error.problems.join('; ')}`);
    throw new GatewayError(400, 'caller_invalid_request', `Invalid config: ${error.problems.join('; ')}`, { details: { problems: error.problems } });
  }
}

/**
 * A body that must be JSON: refused with 415 under any other content type (a form post from a
 * page, a text/plain probe), so a stray request cannot replace the config by accident.
 */
async function readJsonBody(req: IncomingMessage, limit: number, what: string): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/merge-patch+json') {
    throw new GatewayError(415, 'caller_invalid_request', `${what} must be sent as application/json (got ${type ? `"${type}"` : 'no content type'}).`);
  }
  const parsed = parseJson((await readBody(req, limit)).toString('utf8'));
  if (parsed === undefined) throw new GatewayError(400, 'caller_invalid_json', `${what} must be a JSON object.`);
  return parsed;
}

/** Which keys each provider holds, by alias and source; never the keys themselves. */
function listKeys(_req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): void {
  const providers = deps.config.current().providerList.map((provider) => ({
    provider: provider.id,
    keys: provider.keys.map((key) => ({ alias: key.alias, source: key.source })),
  }));
  sendJson(res, 200, { providers } satisfies KeysResponse);
}

/** Keys from the editor's SecretStorage: held in memory only, never written to disk or logged. */
async function putKeys(req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps, providerId?: string): Promise<void> {
  const provider = knownProvider(deps, providerId);
  const body = parseBody(pushKeysBody, await readBody(req, 64 * 1024));
  deps.config.setPushedKeys(provider, body.keys.map((key) => ({ ...key, source: 'pushed' as const })));
  listKeys(req, res, _url, deps);
}

function deleteKeys(req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps, providerId?: string): void {
  deps.config.setPushedKeys(knownProvider(deps, providerId), []);
  listKeys(req, res, url, deps);
}

function knownProvider(deps: AdminDeps, providerId: string | undefined): string {
  if (!providerId || !deps.config.current().providers.has(providerId)) {
    throw new GatewayError(404, 'caller_not_found', `No provider "${providerId}" in the config`);
  }
  return providerId;
}

/** Where a call for this model would go: the hint server shows it in its hover. */
function route(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const model = url.searchParams.get('model');
  if (!model) throw new GatewayError(400, 'caller_invalid_request', 'route needs ?model=NAME');
  let body: RouteResponse;
  try {
    const resolution = resolveModel(deps.config.current(), model);
    body = { model, alias: resolution.alias ?? null, targets: resolution.targets.map((t) => ({ provider: t.provider.id, model: t.model })), error: null };
  } catch (error) {
    body = { model, alias: null, targets: [], error: (error as Error).message };
  }
  sendJson(res, 200, body);
}

async function callSites(req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): Promise<void> {
  const query = parseBody(callSitesQuery, await readBody(req, 1024 * 1024));
  const since = query.since ?? startOfLocalDay();
  sendJson(res, 200, deps.callSites.query(query.sites, since));
}

function cacheState(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const now = Date.now();
  const since = parseQuery(cacheQuery, url).since ?? now - 86_400_000;
  const usage = deps.stats.query({ since, until: now, bucket: 'day', tzOffsetMinutes: 0 }, now).totals.cache;
  const rate = (count: number): number | null => (usage.lookups > 0 ? count / usage.lookups : null);
  sendJson(res, 200, {
    enabled: deps.config.current().config.cache.enabled,
    ...deps.cache.summarize(now),
    inFlight: deps.flights.size,
    semanticQuestions: deps.semantic.questions,
    since,
    usage: { ...usage, hitRate: rate(usage.hits), semanticHitRate: rate(usage.semanticHits), coalescedRate: rate(usage.coalesced) },
  } satisfies CacheResponse);
}

/** GET /tollgate/v1/routing/what-if?since=7d: the window's calls replayed through the current routing config. */
function whatIf(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const now = Date.now();
  const start = windowStart(parseQuery(whatIfQuery, url).since, now);
  sendJson(res, 200, routingWhatIf(deps.whatIf.calls(start, now), deps.config.current(), { since: start, until: now }) satisfies WhatIfResponse);
}

/** GET /tollgate/v1/advice?since=7d: ranked advice from the window's rollups (advice/advisor.ts). */
function advice(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const now = Date.now();
  const start = windowStart(parseQuery(adviceQuery, url).since, now);
  const runtime = deps.config.current();
  const sources = { advice: deps.advice, whatIf: deps.whatIf, runtime, budgets: budgetStatuses(runtime.config, deps.spend), nearDuplicates: deps.nearDuplicates };
  sendJson(res, 200, advise(sources, start, now) satisfies AdviceResponse);
}

/** A window's start from `since` as parsed (a time, or a span back from now); 7 days when absent. */
function windowStart(since: { at: number } | { spanMs: number } | undefined, now: number): number {
  if (since === undefined) return now - 7 * 86_400_000;
  return 'at' in since ? since.at : now - since.spanMs;
}

/**
 * The current general-purpose models of each configured provider (the hint server's candidate
 * list) with their prices from the shared price table (overrides applied), and the tiers as set:
 * what the editor offers when a tier is mapped to a model.
 */
function routingModels(_req: IncomingMessage, res: ServerResponse, _url: URL, deps: AdminDeps): void {
  const runtime = deps.config.current();
  const models: RoutingModelsResponse['models'] = [];
  for (const provider of runtime.providerList) {
    for (const candidate of candidateModels('chat', provider.pricingId).filter((c) => c.pricingProvider === provider.pricingId)) {
      const info = modelPriceInfo({ pricingProvider: provider.pricingId, baseUrl: provider.baseUrl, model: candidate.model, overrides: runtime.config.pricing });
      models.push({ target: `${provider.id}/${candidate.model}`, inputPerMillionUsd: info?.input ?? null, outputPerMillionUsd: info?.output ?? null });
    }
  }
  const tiers = Object.fromEntries(Object.entries(runtime.config.routing.tiers).filter(([, destination]) => destination !== undefined)) as RoutingModelsResponse['tiers'];
  sendJson(res, 200, { models, tiers } satisfies RoutingModelsResponse);
}

/** DELETE /tollgate/v1/cache[?model=…][&olderThan=2h]: every entry, or those the filters pick. */
function clearCache(_req: IncomingMessage, res: ServerResponse, url: URL, deps: AdminDeps): void {
  const query = parseQuery(cacheDeleteQuery, url);
  const now = Date.now();
  const deleted = deps.cache.clear({ model: query.model, createdBefore: query.olderThan === undefined ? undefined : now - query.olderThan }, now);
  sendJson(res, 200, { deleted });
}

function parseBody<T extends z.ZodType>(schema: T, raw: Buffer): z.infer<T> {
  const result = schema.safeParse(parseJson(raw.toString('utf8')));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new GatewayError(400, 'caller_invalid_request', `Invalid body: ${problems.join('; ')}`);
}

function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  const result = schema.safeParse(Object.fromEntries(url.searchParams));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
  throw new GatewayError(400, 'caller_invalid_request', `Invalid query: ${problems.join('; ')}`);
}
