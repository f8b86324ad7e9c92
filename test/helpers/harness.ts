import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AdminClient } from '../../daemon/gateway/api/client';
import type { RequestLogEntry } from '../../daemon/gateway/api/contracts';
import type { ConfigInput } from '../../daemon/gateway/config/schema';
import { startGateway, type RunningGateway } from '../../daemon/gateway/main';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from '../fixtures/fake-upstream';

/** Provider keys the gateway holds in these tests; the security tests grep for them. */
export const OPENAI_KEY = 'sk-test-openai-0123456789abcdef0123456789abcdef';
export const ANTHROPIC_KEY = 'sk-ant-test-0123456789abcdef0123456789abcdef';

export interface Harness {
  fake: FakeUpstream;
  gateway: RunningGateway;
  admin: AdminClient;
  dataDir: string;
  /** An official OpenAI SDK client pointed at the gateway (token = use the gateway's keys). */
  openai(options?: { apiKey?: string }): OpenAI;
  anthropic(options?: { apiKey?: string }): Anthropic;
  /**
   * Waits until exactly `count` requests have been logged since the last reset() and returns
   * them, newest first.
   */
  waitForRequests(count: number): Promise<RequestLogEntry[]>;
  /** Clears the fake upstream's record and behaviour, and marks the log so far as seen. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Edits the default test config (both providers on the fake upstream). */
  config?: (base: ConfigInput, fake: FakeUpstream) => ConfigInput;
  fake?: FakeUpstreamOptions;
  warnings?: string[];
}

export function baseConfig(fake: FakeUpstream): ConfigInput {
  return {
    providers: [
      { id: 'openai', type: 'openai', baseUrl: fake.openaiBaseUrl, apiKeys: ['env:TEST_OPENAI_KEY'], modelPrefixes: ['gpt-', 'o1', 'o3', 'o4', 'text-embedding-'] },
      { id: 'anthropic', type: 'anthropic', baseUrl: fake.anthropicBaseUrl, apiKeys: [{ alias: 'ant-main', value: 'env:TEST_ANTHROPIC_KEY' }], modelPrefixes: ['claude-'] },
    ],
  };
}

/** A real gateway on loopback, in front of the fake upstream, with its own data directory. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeUpstream(options.fake);
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-test-'));
  const config = (options.config ?? ((base) => base))(baseConfig(fake), fake);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const gateway = await startGateway({
    dataDir,
    port: 0,
    env: { TEST_OPENAI_KEY: OPENAI_KEY, TEST_ANTHROPIC_KEY: ANTHROPIC_KEY },
    onWarning: (message) => options.warnings?.push(message),
  });
  const admin = new AdminClient({ port: gateway.port, token: gateway.token });
  let seenUpTo: string | undefined;
  return {
    fake,
    gateway,
    admin,
    dataDir,
    openai: ({ apiKey } = {}) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: apiKey ?? gateway.token, maxRetries: 0 }),
    anthropic: ({ apiKey } = {}) => new Anthropic({ baseURL: gateway.url, apiKey: apiKey ?? gateway.token, maxRetries: 0 }),
    waitForRequests: (count) => waitForRequests(admin, count, seenUpTo),
    async reset() {
      fake.reset();
      await logSettled(admin);
      seenUpTo = (await admin.requests({ limit: 1 })).requests[0]?.id;
    },
    async close() {
      await gateway.close(1000);
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls the admin API until `count` rows are logged, then waits until the writer has nothing
 * pending and checks again, so that a request logged twice is caught rather than missed.
 */
async function waitForRequests(admin: AdminClient, count: number, seenUpTo: string | undefined, timeoutMs = 5000): Promise<RequestLogEntry[]> {
  const deadline = Date.now() + timeoutMs;
  const list = async (): Promise<RequestLogEntry[]> => {
    const rows = (await admin.requests({ limit: count + 10 })).requests;
    const seen = rows.findIndex((row) => row.id === seenUpTo);
    return seen === -1 ? rows : rows.slice(0, seen);
  };
  let rows = await list();
  while (rows.length < count && Date.now() < deadline) {
    await sleep(10);
    rows = await list();
  }
  await logSettled(admin);
  rows = await list();
  if (rows.length !== count) {
    throw new Error(`expected ${count} logged requests, found ${rows.length}: ${rows.map((r) => `${r.endpoint} ${r.status}`).join(', ')}`);
  }
  return rows;
}

/** Waits until the gateway has committed every call it has finished (its health says how many wait). */
async function logSettled(admin: AdminClient): Promise<void> {
  await sleep(30);
  for (let i = 0; i < 500 && (await admin.health()).pendingLogWrites > 0; i++) await sleep(10);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
