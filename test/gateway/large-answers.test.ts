import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import OpenAI from 'openai';
import { AdminClient } from '../../daemon/gateway/api/client';
import type { RequestDetail } from '../../daemon/gateway/api/contracts';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { buildIfStale, startCliDaemon, writeTestConfig, type CliDaemon } from '../helpers/cli-daemon';
/** 1,700 inputs × 3,072 float dimensions: an embeddings answer of about 105 MB, model and usage at its end. */
const INPUTS = Array.from({ length: 1700 }, (_, i) => `document number ${i} of a large corpus`);
const ASK = JSON.stringify({ model: 'text-embedding-3-large', input: INPUTS, dimensions: 3072, encoding_format: 'float' });

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** The raw answer's size, its last bytes and status, read without holding it. */
function post(port: number, token: string): Promise<{ status: number; bytes: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`http://127.0.0.1:${port}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let tail = '';
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-300);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, tail }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(ASK);
  });
}

/**
 * Upstream answers larger than a megabyte stream through the gateway instead of being held:
 * memory stays bounded under a burst and returns near idle after it. The gateway runs as its
 * own process (the built CLI), so its resident size is its own.
 */
describe('large answers stream through with bounded memory', function () {
  this.timeout(120_000);
  let fake: FakeUpstream;
  let home: string;
  let daemon: CliDaemon;

  before(async () => {
    buildIfStale();
    fake = await startFakeUpstream({ record: false });
    home = mkdtempSync(join(tmpdir(), 'tollgate-large-'));
    writeTestConfig(home, fake);
    daemon = await startCliDaemon(home);
  });
  after(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('four concurrent ~105 MB answers: delivered whole, logged with their usage, and the daemon stays small', async () => {
    const { port, token, pid } = daemon;
    const admin = new AdminClient({ port, token });
    // Warm up: one small call, so the idle figure includes what any first call loads.
    await new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: token, maxRetries: 0 }).embeddings.create({ model: 'text-embedding-3-small', input: 'warm up' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = rssMb(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(port, token)));
    clearInterval(sampler);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const settled = rssMb(pid);
    console.log(`      daemon RSS: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB during 4 × ${(answers[0]!.bytes / 1e6).toFixed(0)} MB, ${settled.toFixed(0)} MB 3 s later`);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.ok(answer.bytes > 100e6, `${answer.bytes} bytes`);
      assert.match(answer.tail, /"model":"text-embedding-3-large","usage":\{"prompt_tokens":\d+,"total_tokens":\d+\}\}$/);
    }
    // Held whole, the four answers took the daemon to 1.35 GB, and it stayed there. What remains
    // after the burst is freed memory the allocator keeps (the V8 heap is back to its idle size).
    assert.ok(peak - idle < 150, `peak ${peak.toFixed(0)} MB against ${idle.toFixed(0)} MB idle`);
    assert.ok(settled - idle < 80, `settled at ${settled.toFixed(0)} MB against ${idle.toFixed(0)} MB idle`);

    const rows = (await admin.requests({ limit: 4, status: 200 })).requests;
    assert.equal(rows.length, 4);
    const promptTokens = Number(/"prompt_tokens":(\d+)/.exec(answers[0]!.tail)![1]);
    for (const row of rows) {
      assert.equal(row.servedModel, 'text-embedding-3-large', 'the model, read from the end of the answer');
      assert.equal(row.promptTokens, promptTokens, 'the usage, read from the end of the answer');
      assert.equal(row.usageSource, 'provider');
      assert.ok(row.costUsd! > 0);
    }
    const detail = await admin.get<RequestDetail>(`/tollgate/v1/requests/${rows[0]!.id}`);
    assert.ok(detail.bodiesTruncated);
    assert.equal(Buffer.byteLength(detail.responseBody!), 1_000_000, 'the log keeps logging.maxBodyBytes of it');
  });
});
