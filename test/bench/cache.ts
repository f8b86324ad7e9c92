import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../daemon/gateway/store/db';
import { CacheStore } from '../../daemon/gateway/store/cache-store';
import { newAgent, percentile, timedRequest, type Target } from './load';
import { startFakeProcess, startGatewayProcess } from './processes';

const ROUNDS = Number(process.env['BENCH_CACHE_ROUNDS'] ?? 2000);
const COALESCE_ROUNDS = 10;
const COALESCE_CALLS = 32;

export interface CacheBenchResult {
  /** p50/p99 ms: the fake called directly (the floor), and exact hits through the gateway. */
  json: { direct: Percentiles; hit: Percentiles };
  /** Time to the first event: the fake's stream directly, and a replayed stream from the cache. */
  streamFirstEvent: { direct: Percentiles; hit: Percentiles };
  /** 32 identical calls at once against a provider answering in 100 ms, per round (means). */
  coalescing: { providerCallsPerRound: number; wallMs: number; distinctWallMs: number };
  /** SQLite file size per 10,000 entries of a typical chat answer. */
  diskMbPer10k: number;
  answerBytes: number;
}

interface Percentiles {
  p50: number;
  p99: number;
}

const ask = (content: string, stream = false): Buffer =>
  Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) }));

/**
 * The exact cache's figures, each beside its baseline from the same run: a hit against calling
 * the (instant) fake provider directly, a replayed stream's first event against the fake's own,
 * 32 coalesced identical calls against 32 distinct ones, and the disk an entry takes.
 */
export async function benchCache(): Promise<CacheBenchResult> {
  const fake = await startFakeProcess();
  const gateway = await startGatewayProcess({ providers: [{ id: 'openai', type: 'openai', baseUrl: fake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }], cache: { enabled: true } });
  const slowFake = await startFakeProcess(['--latency-ms', '100']);
  const slowGateway = await startGatewayProcess({ providers: [{ id: 'openai', type: 'openai', baseUrl: slowFake.info.openaiBaseUrl, apiKeys: ['sk-bench'] }], cache: { enabled: true } });
  try {
    const direct: Target = { name: 'direct', url: new URL(`${fake.info.openaiBaseUrl}/chat/completions`), headers: { authorization: 'Bearer sk-bench' } };
    const viaGateway: Target = { name: 'gateway', url: new URL(`http://127.0.0.1:${gateway.port}/v1/chat/completions`), headers: { authorization: `Bearer ${gateway.token}` } };
    const json = await interleaved(direct, viaGateway, ask('What is a cache hit?'), 'totalMs');
    const streamFirstEvent = await interleaved(direct, viaGateway, ask('Stream me a cached answer.', true), 'ttfbMs');
    const coalescing = await benchCoalescing(slowGateway);
    const disk = diskPer10k();
    return { json, streamFirstEvent, coalescing, ...disk };
  } finally {
    await Promise.all([gateway.stop(), slowGateway.stop()]);
    await Promise.all([fake.stop(), slowFake.stop()]);
  }
}

/** Direct and hit calls in turn; the first gateway call (the miss that fills the entry) is not counted. */
async function interleaved(direct: Target, viaGateway: Target, body: Buffer, field: 'totalMs' | 'ttfbMs'): Promise<{ direct: Percentiles; hit: Percentiles }> {
  const agents = { direct: newAgent(1), hit: newAgent(1) };
  await timedRequest(agents.hit, viaGateway, body);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const samples = { direct: [] as number[], hit: [] as number[] };
  const warmup = 200;
  for (let i = 0; i < ROUNDS + warmup; i++) {
    const a = await timedRequest(agents.direct, direct, body);
    const b = await timedRequest(agents.hit, viaGateway, body);
    if (a.status !== 200 || b.status !== 200) throw new Error(`cache bench call failed: ${a.status} / ${b.status}`);
    if (i >= warmup) {
      samples.direct.push(a[field]);
      samples.hit.push(b[field]);
    }
  }
  agents.direct.destroy();
  agents.hit.destroy();
  const summary = (values: number[]): Percentiles => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
  return { direct: summary(samples.direct), hit: summary(samples.hit) };
}

/** 32 identical calls at once (a new question each round), against 32 distinct ones; provider calls counted from the log. */
async function benchCoalescing(gateway: { port: number; token: string }): Promise<CacheBenchResult['coalescing']> {
  const target: Target = { name: 'gateway', url: new URL(`http://127.0.0.1:${gateway.port}/v1/chat/completions`), headers: { authorization: `Bearer ${gateway.token}` } };
  const agent = newAgent(COALESCE_CALLS);
  const since = Date.now();
  let wall = 0;
  let distinctWall = 0;
  for (let round = 0; round < COALESCE_ROUNDS; round++) {
    const body = ask(`Coalesce round ${round} ${since}`);
    let started = performance.now();
    await Promise.all(Array.from({ length: COALESCE_CALLS }, () => timedRequest(agent, target, body)));
    wall += performance.now() - started;
    started = performance.now();
    await Promise.all(Array.from({ length: COALESCE_CALLS }, (_, i) => timedRequest(agent, target, ask(`Distinct ${round}.${i} ${since}`))));
    distinctWall += performance.now() - started;
  }
  agent.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const response = await fetch(`http://127.0.0.1:${gateway.port}/tollgate/v1/requests?since=${since}&limit=1000`, { headers: { authorization: `Bearer ${gateway.token}` } });
  const rows = ((await response.json()) as { requests: { cache: string; requestedModel: string }[] }).requests;
  const distinct = COALESCE_ROUNDS * COALESCE_CALLS;
  if (rows.length !== 2 * distinct) throw new Error(`expected ${2 * distinct} logged calls, found ${rows.length}`);
  // Every distinct call is a miss; the misses beyond them are the identical rounds' provider calls.
  const misses = rows.filter((row) => row.cache === 'miss').length - distinct;
  return { providerCallsPerRound: misses / COALESCE_ROUNDS, wallMs: wall / COALESCE_ROUNDS, distinctWallMs: distinctWall / COALESCE_ROUNDS };
}

/** 10,000 entries of a typical chat answer (the fake's, ~0.6 KB) in a fresh database. */
function diskPer10k(): { diskMbPer10k: number; answerBytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-cache-disk-'));
  try {
    const db = openDatabase(join(dir, 'tollgate.db'));
    const before = statSync(join(dir, 'tollgate.db')).size;
    const store = new CacheStore(db);
    const answer = Buffer.from(JSON.stringify({
      id: 'chatcmpl-0123456789', object: 'chat.completion', created: 1_764_000_000, model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'A cache hit is a request answered from stored results instead of recomputing them. '.repeat(5), refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 42, completion_tokens: 90, total_tokens: 132 }, system_fingerprint: 'fp_0123456789',
    }));
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        store.put({ key: `${i}`.padStart(64, '0'), created: Date.now(), expires: Date.now() + 86_400_000, form: 'json', contentType: 'application/json', body: answer, endpoint: 'chat', provider: 'openai', model: 'gpt-4o-mini', costUsd: 0.0001, latencyMs: 900, requestId: `req_${i}` });
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { diskMbPer10k: (statSync(join(dir, 'tollgate.db')).size - before) / 1024 / 1024, answerBytes: answer.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
