import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JobView, JobsPage, SubmitJobsResponse } from '../../daemon/gateway/api/job-contracts';
import { nativeBinding } from '../../daemon/gateway/store/native-binding';
import { startHarness, type Harness } from '../helpers/harness';

/** What a caller would send directly; the answer text names the question so answers can be told apart. */
function chat(question: string): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] };
}

function lastUserText(json: unknown): string {
  const messages = (json as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return String(messages.at(-1)?.content ?? '');
}

/** The fields these tests read from any answer: a job, a page of jobs, a submission or an error. */
interface Answer {
  status: number;
  json: JobView & JobsPage & { error: { message: string } };
}

async function api(h: Harness, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${h.gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Answer['json'] };
}

async function waitJob(h: Harness, id: string): Promise<JobView> {
  const { status, json } = await api(h, 'GET', `/tollgate/v1/jobs/${id}?wait=15`);
  assert.equal(status, 200);
  return json as JobView;
}

describe('async jobs (mode now)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(async () => {
    await h.reset();
    h.fake.behave((req) => ({ kind: 'ok', text: `answer to ${lastUserText(req.json)}` }));
  });

  it('answers 202 with the id of a job already committed to SQLite, and the job returns the answer a direct call gets', async () => {
    const submitted = await api(h, 'POST', '/tollgate/v1/jobs', { endpoint: '/v1/chat/completions', body: chat('q1'), tag: 'eval' });
    assert.equal(submitted.status, 202);
    const id = (submitted.json as SubmitJobsResponse).jobs[0]!.id;
    // A separate connection sees the job as soon as the 202 arrived: it was committed before.
    const db = new Database(join(h.dataDir, 'tollgate.db'), { readonly: true, nativeBinding: nativeBinding() });
    try {
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM jobs WHERE id = ?').get(id) as { n: number }).n, 1);
    } finally {
      db.close();
    }
    const job = await waitJob(h, id);
    assert.equal(job.status, 'succeeded');
    assert.equal(job.attempts, 1);
    assert.equal(job.tag, 'eval');
    const direct = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'q1' }] });
    const answer = job.response!.body as typeof direct;
    assert.equal(job.response!.status, 200);
    assert.equal(answer.object, 'chat.completion');
    assert.equal(answer.choices[0]!.message.content, 'answer to q1');
    assert.deepEqual(Object.keys(answer).sort(), Object.keys(direct).sort());
    assert.deepEqual(answer.usage, direct.usage);
    // The job's call was logged once, like any call, and the job names its row.
    const rows = await h.waitForRequests(2);
    assert.equal(rows.filter((row) => row.id === job.requestId).length, 1);
    // The log shows which row was a job's, and how it ran; the direct call's row has no job.
    assert.deepEqual(rows.find((row) => row.id === job.requestId)!.job, { id, mode: 'now', savedUsd: null });
    assert.equal(rows.find((row) => row.id !== job.requestId)!.job, null);
    assert.equal((await h.admin.get<{ job: unknown }>(`/tollgate/v1/requests/${job.requestId}`)).job !== null, true);
  });

  it('runs many jobs submitted at once, each with its own answer, and lists them by tag and status', async () => {
    const requests = Array.from({ length: 25 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat(`many ${i}`), tag: 'batch-of-25' }));
    const submitted = await api(h, 'POST', '/tollgate/v1/jobs', { requests });
    assert.equal(submitted.status, 202);
    const ids = (submitted.json as SubmitJobsResponse).jobs.map((job) => job.id);
    assert.equal(new Set(ids).size, 25);
    for (const [i, id] of ids.entries()) {
      const job = await waitJob(h, id);
      assert.equal(job.status, 'succeeded');
      assert.equal((job.response!.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content, `answer to many ${i}`);
    }
    const page = (await api(h, 'GET', '/tollgate/v1/jobs?tag=batch-of-25&status=succeeded&limit=100')).json as JobsPage;
    assert.deepEqual(page.jobs.map((job) => job.id).sort(), [...ids].sort());
    assert.equal((await api(h, 'GET', '/tollgate/v1/jobs?tag=nobody')).json.jobs.length, 0);
    // Every job reached the provider exactly once.
    assert.equal(h.fake.requests.filter((r) => r.path === '/v1/chat/completions').length, 25);
  });

  it('defers any proxied call with x-tollgate-defer, from the official SDK, and keeps the provider\'s error as the answer of a job it refused', async () => {
    const raw = await h
      .openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'deferred' }] }, { headers: { 'x-tollgate-defer': 'now' } })
      .asResponse();
    assert.equal(raw.status, 202);
    const id = raw.headers.get('x-tollgate-job-id')!;
    assert.equal(((await raw.json()) as { id: string }).id, id);
    const job = await waitJob(h, id);
    assert.equal(job.status, 'succeeded');
    assert.equal((job.response!.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content, 'answer to deferred');

    h.fake.behave(() => ({ kind: 'status', status: 400, message: "'messages' is too short", code: 'invalid_value' }));
    const refused = await api(h, 'POST', '/v1/chat/completions', chat('refused'), { 'x-tollgate-defer': 'now' });
    assert.equal(refused.status, 202);
    const failed = await waitJob(h, refused.json.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.response!.status, 400);
    assert.equal((failed.response!.body as { error: { message: string } }).error.message, "'messages' is too short");
  });

  it('refuses malformed submissions with a 4xx that says what is wrong, and stores nothing', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['not JSON', '{"endpoint": ', 400, /JSON/],
      ['no endpoint', { body: chat('x') }, 400, /endpoint/],
      ['unknown endpoint', { endpoint: '/v1/nothing', body: chat('x') }, 400, /\/v1\/nothing.*cannot be deferred/],
      ['bad body', { endpoint: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } }, 400, /messages/],
      ['stream', { endpoint: '/v1/chat/completions', body: { ...chat('x'), stream: true } }, 400, /stream/],
      ['bad mode', { endpoint: '/v1/chat/completions', body: chat('x'), mode: 'later' }, 400, /mode/],
      ['bad deadline', { endpoint: '/v1/chat/completions', body: chat('x'), deadline: 'soon' }, 400, /deadline/],
      ['one bad of many', { requests: [{ endpoint: '/v1/chat/completions', body: chat('x') }, { endpoint: '/v1/chat/completions', body: {} }] }, 400, /requests\[1\]/],
      ['empty many', { requests: [] }, 400, /requests/],
    ];
    const before = ((await api(h, 'GET', '/tollgate/v1/jobs?limit=1000')).json as JobsPage).jobs.length;
    for (const [name, body, status, message] of cases) {
      const answer = await api(h, 'POST', '/tollgate/v1/jobs', body);
      assert.equal(answer.status, status, name);
      assert.match(answer.json.error.message, message, name);
    }
    assert.equal(((await api(h, 'GET', '/tollgate/v1/jobs?limit=1000')).json as JobsPage).jobs.length, before);
    assert.equal((await api(h, 'GET', '/tollgate/v1/jobs/job_missing')).status, 404);
    assert.equal((await api(h, 'GET', '/tollgate/v1/jobs?status=done')).status, 400);
    assert.equal((await api(h, 'POST', '/v1/chat/completions', chat('x'), { 'x-tollgate-defer': 'tomorrow' })).status, 400);
    const noToken = await fetch(`${h.gateway.url}/tollgate/v1/jobs`, { method: 'POST', body: JSON.stringify({ endpoint: '/v1/chat/completions', body: chat('x') }) });
    assert.equal(noToken.status, 401);
    const ownKey = await api(h, 'POST', '/v1/chat/completions', chat('x'), { 'x-tollgate-defer': 'now', authorization: 'Bearer sk-someone-elses-key-0123456789' });
    assert.equal(ownKey.status, 401);
    assert.match(ownKey.json.error.message, /Tollgate token/);
    assert.equal(h.fake.requests.length, 0);
  });

  it('cancels a queued job before it reaches the provider, and refuses to cancel a finished one', async () => {
    h.fake.behave((req) => ({ kind: 'ok', latencyMs: 300, text: `answer to ${lastUserText(req.json)}` }));
    const requests = Array.from({ length: 12 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat(`c${i}`) }));
    const ids = ((await api(h, 'POST', '/tollgate/v1/jobs', { requests })).json as SubmitJobsResponse).jobs.map((job) => job.id);
    const last = ids.at(-1)!;
    const cancelled = await api(h, 'DELETE', `/tollgate/v1/jobs/${last}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.json.status, 'cancelled');
    for (const id of ids.slice(0, -1)) assert.equal((await waitJob(h, id)).status, 'succeeded');
    assert.equal((await waitJob(h, last)).status, 'cancelled');
    assert.equal(h.fake.requests.some((r) => lastUserText(r.json) === 'c11'), false);
    assert.equal((await api(h, 'DELETE', `/tollgate/v1/jobs/${ids[0]}`)).status, 409);
  });

  it('expires a job whose deadline passes while it waits', async () => {
    h.fake.behave(() => ({ kind: 'rate-limit', retryAfterSeconds: 5 }));
    const submitted = await api(h, 'POST', '/tollgate/v1/jobs', { endpoint: '/v1/chat/completions', body: chat('late'), deadline: 1 });
    const job = await waitJob(h, submitted.json.jobs[0]!.id);
    assert.equal(job.status, 'expired');
    assert.match(job.error!, /deadline/);
  });
});

describe('async jobs under rate limits', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('paces jobs by the key\'s rpm: the ones over it wait for their turn instead of failing', async () => {
    h = await startHarness({
      config: (base) => ({
        ...base,
        providers: base.providers!.map((p) => (p.id === 'openai' ? { ...p, apiKeys: [{ alias: 'slow', value: 'env:TEST_OPENAI_KEY', rpm: 60 }] } : p)),
        // The gateway answers 429 at once rather than holding the call: the job must absorb it.
        resilience: { maxWaitMs: 0 },
        jobs: { concurrency: 8 },
      }),
    });
    // A bucket of 60 rpm lets 59 through at once, then one a second.
    const requests = Array.from({ length: 63 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat(`r${i}`) }));
    const ids = ((await api(h, 'POST', '/tollgate/v1/jobs', { requests })).json as SubmitJobsResponse).jobs.map((job) => job.id);
    const jobs = await Promise.all(ids.map((id) => waitJob(h, id)));
    assert.deepEqual(jobs.map((job) => job.status), ids.map(() => 'succeeded'));
    assert.ok(jobs.some((job) => job.attempts > 1), 'some jobs met the limit and waited');
    // None of the waiting cost a provider call: the provider saw each job once and never a 429.
    assert.equal(h.fake.requests.length, 63);
  });

  it('drains 1,000 jobs against a provider that answers 429 when pressed, with no job failing', async () => {
    h = await startHarness({ config: (base) => ({ ...base, resilience: { retries: 0 }, jobs: { concurrency: 16 } }), fake: { record: true } });
    // The provider allows 12 calls in flight; more get a 429 with Retry-After, as real ones do.
    let inFlight = 0;
    h.fake.behave(() => {
      if (inFlight >= 12) return { kind: 'rate-limit', retryAfterSeconds: null, retryAfterMs: 50 };
      inFlight++;
      setTimeout(() => inFlight--, 20);
      return { kind: 'ok', latencyMs: 20 };
    });
    const requests = Array.from({ length: 1000 }, (_, i) => ({ endpoint: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: `text ${i}` } }));
    const ids = ((await api(h, 'POST', '/tollgate/v1/jobs', { requests })).json as SubmitJobsResponse).jobs.map((job) => job.id);
    for (const id of ids) assert.equal((await waitJob(h, id)).status, 'succeeded');
    const page = (await api(h, 'GET', '/tollgate/v1/jobs?limit=1')).json as JobsPage;
    assert.equal(page.counts['failed'] ?? 0, 0);
    assert.equal(page.counts['succeeded'], 1000);
  }).timeout(60_000);
});
