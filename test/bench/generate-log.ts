import { join } from 'node:path';
import { openDatabase } from '../../daemon/gateway/store/db';
import type { LogRow } from '../../daemon/gateway/store/log-row';
import { RowCommitter } from '../../daemon/gateway/store/row-committer';
import { row } from '../helpers/log-rows';

const DAY_MS = 86_400_000;
const BATCH = 10_000;

const MODELS = [
  { share: 0.6, provider: 'openai', model: 'gpt-4o-mini', usdPerCall: 0.0001, latencyMs: 600 },
  { share: 0.2, provider: 'openai', model: 'gpt-4o', usdPerCall: 0.002, latencyMs: 1400 },
  { share: 0.15, provider: 'anthropic', model: 'claude-sonnet-4-5', usdPerCall: 0.004, latencyMs: 2500 },
  { share: 0.05, provider: 'anthropic', model: 'claude-haiku-4-5', usdPerCall: 0.0008, latencyMs: 700 },
] as const;

/**
 * Fills `dataDir`'s log with `count` calls spread evenly over the `days` before now, as the log
 * writer commits them (rows, rollups, advisor rollups), in batches: four models on two providers
 * with two keys each, 30 % streamed, 4 % errors (half of them 429s, retried on the other key),
 * 10 % fingerprinted with repeats, request bodies in the newest week. Deterministic (a fixed LCG), so every
 * run measures the same log.
 */
export function generateLog(dataDir: string, count: number, days: number, now = Date.now()): { ms: number } {
  const started = performance.now();
  const db = openDatabase(join(dataDir, 'tollgate.db'));
  try {
    const committer = new RowCommitter(db);
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const step = (days * DAY_MS) / count;
    for (let first = 0; first < count; first += BATCH) {
      const rows: LogRow[] = [];
      for (let i = first; i < Math.min(count, first + BATCH); i++) rows.push(generatedRow(now - days * DAY_MS + i * step, i, random, i * step >= (days - 7) * DAY_MS));
      committer.commit(rows, true);
    }
  } finally {
    db.close();
  }
  return { ms: performance.now() - started };
}

const PROMPTS = [
  'Summarise ticket # in one line.',
  'Translate the product description # into French, keeping the brand names.',
  'Write a TypeScript function that parses the CSV export # and returns typed rows; handle quoted fields and explain the edge cases.',
  'What is the status code for "not found"? (question #)',
];

function generatedRow(ts: number, i: number, random: () => number, withBody: boolean): LogRow {
  let pick = random();
  const model = MODELS.find((m) => (pick -= m.share) < 0) ?? MODELS[0];
  const stream = random() < 0.3;
  const failure = random();
  const rateLimited = failure < 0.02;
  const status = failure < 0.04 && !rateLimited ? 500 : 200;
  const latencyMs = model.latencyMs * (0.5 + random());
  const key = (n: number): string => `${model.provider}#${n}`;
  return row({
    id: `req_bench_${i}`,
    ts: Math.floor(ts),
    requestedModel: model.model,
    servedModel: model.model,
    provider: model.provider,
    keyAlias: key(1),
    endpoint: model.provider === 'anthropic' ? 'messages' : 'chat',
    status,
    errorClass: status === 500 ? 'provider_server_error' : null,
    stream,
    latencyMs,
    ttfbMs: stream ? latencyMs * 0.2 : latencyMs,
    promptTokens: 200 + Math.floor(random() * 2000),
    completionTokens: 50 + Math.floor(random() * 700),
    costUsd: status === 200 ? model.usdPerCall * (0.5 + random()) : null,
    attempts: rateLimited ? 2 : 1,
    attemptLog: rateLimited ? `${model.provider}/${model.model}[${key(2)}] 429 rate_limited 40ms > ${model.provider}/${model.model}[${key(1)}] 200 ${Math.round(latencyMs)}ms` : null,
    // Bodies are kept for a week by default (logging.bodyRetentionDays): the newest week has them.
    requestBody: withBody ? Buffer.from(JSON.stringify({ model: model.model, temperature: 0, messages: [{ role: 'user', content: PROMPTS[i % PROMPTS.length]!.replace('#', String(i)) }] })) : undefined,
    responseBody: undefined,
    promptTexts: [],
    fingerprint: i % 10 === 0 ? { key: (i % 2000).toString(16).padStart(16, '0'), windowMs: DAY_MS } : undefined,
  });
}
