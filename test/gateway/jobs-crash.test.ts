import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JobView, JobsPage, SubmitJobsResponse } from '../../daemon/gateway/api/job-contracts';
import { startFakeUpstream, type FakeUpstream } from '../fixtures/fake-upstream';
import { buildIfStale, CLI, cliEnv, startCliDaemon, type CliDaemon } from '../helpers/cli-daemon';
import { baseConfig } from '../helpers/harness';

const JOBS = 300;
const RUNS = 3;
/** Kills per run, each at a random point while the jobs are being worked on. */
const KILLS = 2;

function lastUserText(json: unknown): string {
  const messages = (json as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return String(messages.at(-1)?.content ?? '');
}

async function admin<T>(daemon: CliDaemon, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${daemon.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

async function kill(daemon: CliDaemon): Promise<void> {
  daemon.child.kill('SIGKILL');
  await daemon.exited;
}

/** Every job of the run, read straight from the database file the daemon left. */
function jobsInDb(home: string): { id: string; status: string; mode: string; body: string; response: Buffer | null }[] {
  const db = new Database(join(home, 'tollgate.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, mode, body, response_body AS response FROM jobs').all() as never;
  } finally {
    db.close();
  }
}

function integrity(home: string): string {
  const db = new Database(join(home, 'tollgate.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** The custom ids in each batch the provider accepted (its input file), from the fake's own record. */
function submittedLines(fake: FakeUpstream): string[] {
  const ids: string[] = [];
  for (const batch of fake.batches.batches.values()) {
    const file = fake.batches.files.get(batch.input_file_id)!;
    for (const line of file.content.split('\n').filter(Boolean)) ids.push((JSON.parse(line) as { custom_id: string }).custom_id);
  }
  return ids;
}

describe('jobs survive SIGKILL of the built daemon', function () {
  this.timeout(180_000);
  let fake: FakeUpstream;
  before(async () => {
    buildIfStale();
    fake = await startFakeUpstream();
  });
  after(() => fake.close());

  for (let run = 1; run <= RUNS; run++) {
    it(`run ${run}: ${JOBS} jobs (now and batch mixed), killed ${KILLS} times at random points, each finishes exactly once`, async () => {
      fake.reset();
      fake.behave((req) => ({ kind: 'ok', latencyMs: 15, text: `answer to ${lastUserText(req.json)}` }));
      fake.batches.script = { pollsPerState: 2 };
      const home = mkdtempSync(join(tmpdir(), 'tollgate-jobs-crash-'));
      try {
        writeFileSync(
          join(home, 'config.json'),
          JSON.stringify({ ...baseConfig(fake), jobs: { concurrency: 8, batch: { maxSize: 40, maxAgeSeconds: 0.1, pollMs: 25, fallbackSeconds: 5 } } }),
        );
        let daemon = await startCliDaemon(home);
        const requests = Array.from({ length: JOBS }, (_, i) => ({
          endpoint: '/v1/chat/completions',
          body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `run ${run} job ${i}` }] },
          mode: i % 2 === 0 ? 'now' : 'batch',
        }));
        const ids = (await admin<SubmitJobsResponse>(daemon, 'POST', '/tollgate/v1/jobs', { requests })).jobs.map((job) => job.id);
        assert.equal(ids.length, JOBS);
        let unfinishedAtKill = 0;
        for (let k = 0; k < KILLS; k++) {
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 600));
          await kill(daemon);
          assert.equal(integrity(home), 'ok');
          unfinishedAtKill += jobsInDb(home).filter((row) => row.status !== 'succeeded').length;
          daemon = await startCliDaemon(home);
        }
        // Otherwise the kills missed the work and the run proves nothing.
        assert.ok(unfinishedAtKill > 0, 'the kills left jobs to resume');
        // Let the last daemon finish every job.
        for (let i = 0; i < 600; i++) {
          const page = await admin<JobsPage>(daemon, 'GET', '/tollgate/v1/jobs?limit=1');
          if ((page.counts['succeeded'] ?? 0) + (page.counts['failed'] ?? 0) + (page.counts['expired'] ?? 0) === JOBS) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const views = await Promise.all(ids.map((id) => admin<JobView>(daemon, 'GET', `/tollgate/v1/jobs/${id}`)));
        // The CLI lists them, from the running daemon and from the file once it is gone.
        const tollgateJobs = (): string => execFileSync(process.execPath, [CLI, 'jobs', '--data-dir', home], { env: cliEnv(home), encoding: 'utf8' });
        assert.match(tollgateJobs(), new RegExp(`Jobs: ${JOBS} succeeded\\n$`));
        await kill(daemon);
        assert.match(tollgateJobs(), /daemon is stopped[\s\S]*Jobs: 300 succeeded/);

        views.forEach((job, i) => {
          assert.equal(job.status, 'succeeded', `${job.id}: ${job.error}`);
          const content = (job.response!.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
          assert.equal(content, `answer to run ${run} job ${i}`);
        });
        // The provider's record: no job was put in two accepted batches, and none ran twice in batches.
        const lines = submittedLines(fake);
        assert.equal(new Set(lines).size, lines.length, 'a job was submitted in two batches');
        const batchRuns = fake.requests.map((r) => r.headers['x-fake-batch-custom-id']).filter(Boolean);
        assert.equal(new Set(batchRuns).size, batchRuns.length, 'a batch line ran twice');
        // Every job reached the provider (in a batch or directly); the database holds each once, final.
        const asked = new Set(fake.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => lastUserText(r.json)));
        for (let i = 0; i < JOBS; i++) assert.ok(asked.has(`run ${run} job ${i}`));
        const rows = jobsInDb(home);
        assert.equal(rows.length, JOBS);
        assert.deepEqual(new Set(rows.map((row) => row.status)), new Set(['succeeded']));
        assert.equal(integrity(home), 'ok');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
