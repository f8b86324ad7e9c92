import assert from 'node:assert/strict';
import type { JobView, SubmitJobsResponse } from '../../daemon/gateway/api/job-contracts';
import type { BatchScript } from '../fixtures/fake-upstream/batches/openai-batches';
import { startHarness, type Harness } from '../helpers/harness';

function chat(model: string, question: string): Record<string, unknown> {
  return model.startsWith('claude') ? { model, max_tokens: 100, messages: [{ role: 'user', content: question }] } : { model, messages: [{ role: 'user', content: question }] };
}

function lastUserText(json: unknown): string {
  const messages = (json as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return String(messages.at(-1)?.content ?? '');
}

async function submit(h: Harness, requests: unknown[]): Promise<string[]> {
  const response = await fetch(`${h.gateway.url}/tollgate/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.gateway.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requests }),
  });
  assert.equal(response.status, 202);
  return ((await response.json()) as SubmitJobsResponse).jobs.map((job) => job.id);
}

async function waitJob(h: Harness, id: string): Promise<JobView> {
  const response = await fetch(`${h.gateway.url}/tollgate/v1/jobs/${id}?wait=20`, { headers: { authorization: `Bearer ${h.gateway.token}` } });
  return (await response.json()) as JobView;
}

async function waitJobNow(h: Harness, id: string): Promise<JobView> {
  const response = await fetch(`${h.gateway.url}/tollgate/v1/jobs/${id}`, { headers: { authorization: `Bearer ${h.gateway.token}` } });
  return (await response.json()) as JobView;
}

const contentOf = (job: JobView): string => (job.response!.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
/** Calls the fake ran as lines of a batch, by custom id (the job id). */
const batchLines = (h: Harness): string[] => h.fake.requests.map((r) => r.headers['x-fake-batch-custom-id']).filter((id): id is string => id !== undefined);
const directChats = (h: Harness): string[] => h.fake.requests.filter((r) => r.path === '/v1/chat/completions' && !r.headers['x-fake-batch-custom-id']).map((r) => lastUserText(r.json));

describe('jobs in mode batch (provider batch APIs)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: (base) => ({ ...base, jobs: { batch: { maxSize: 80, maxAgeSeconds: 0.2, pollMs: 20, fallbackSeconds: 5 } } }) });
  });
  after(() => h.close());
  const script = (s: BatchScript): void => {
    h.fake.batches.script = s;
  };
  beforeEach(async () => {
    await h.reset();
    h.fake.behave((req) => ({ kind: 'ok', text: `answer to ${lastUserText(req.json)}` }));
  });

  it('sends 200 chat jobs as a few provider batches; each job gets its own answer, logged once at half the realtime price', async () => {
    script({ pollsPerState: 2 });
    const ids = await submit(h, Array.from({ length: 200 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat('gpt-4o-mini', `b${i}`), mode: 'batch', tag: 'nightly' })));
    const jobs = await Promise.all(ids.map((id) => waitJob(h, id)));
    jobs.forEach((job, i) => {
      assert.equal(job.status, 'succeeded', `${job.id}: ${job.error}`);
      assert.equal(contentOf(job), `answer to b${i}`);
    });
    assert.equal(h.fake.batches.batches.size, 3, '200 jobs at 80 a batch');
    assert.deepEqual([...batchLines(h)].sort(), [...ids].sort(), 'every job ran once, in a batch');
    assert.deepEqual(directChats(h), []);

    // The same question asked directly: the batch row of job 0 costs exactly half of it.
    await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'b0' }] });
    const rows = await h.waitForRequests(201);
    const direct = rows[0]!;
    const batched = rows.find((row) => row.id === jobs[0]!.requestId)!;
    assert.equal(batched.clientTag, 'nightly');
    assert.deepEqual([batched.promptTokens, batched.completionTokens], [direct.promptTokens, direct.completionTokens]);
    assert.ok(direct.costUsd! > 0);
    assert.ok(Math.abs(batched.costUsd! - direct.costUsd! / 2) < 1e-12, `${batched.costUsd} is half of ${direct.costUsd}`);
    assert.match(batched.attemptLog!, /50 % batch discount, saved \$/);
    assert.equal(batched.job!.id, jobs[0]!.id);
    assert.equal(batched.job!.mode, 'batch');
    assert.ok(Math.abs(batched.job!.savedUsd! - batched.costUsd!) < 1e-12, 'at half price, the saving equals the cost');
    // Stats report the deferred spend and, at half price, savings equal to it.
    const stats = await h.admin.stats({ since: '24h' });
    assert.equal(stats.deferred!.jobs, 200);
    const batchCost = rows.filter((row) => row.id !== direct.id).reduce((sum, row) => sum + row.costUsd!, 0);
    assert.ok(Math.abs(stats.deferred!.costUsd - batchCost) < 1e-9);
    assert.ok(Math.abs(stats.deferred!.savedUsd - batchCost) < 1e-9);
  });

  it('runs the jobs of an expired batch now, and they still meet their deadline', async () => {
    script({ outcome: 'expired' });
    const ids = await submit(h, Array.from({ length: 5 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat('gpt-4o-mini', `e${i}`), mode: 'batch', deadline: 30 })));
    for (const [i, id] of ids.entries()) {
      const job = await waitJob(h, id);
      assert.equal(job.status, 'succeeded');
      assert.equal(contentOf(job), `answer to e${i}`);
      assert.ok(job.finishedAt! <= job.deadlineAt);
    }
    assert.equal(h.fake.batches.batches.size, 1);
    assert.equal([...h.fake.batches.batches.values()][0]!.status, 'expired');
    assert.deepEqual(directChats(h).sort(), ['e0', 'e1', 'e2', 'e3', 'e4']);
  });

  it('answers the lines that succeeded from the batch and runs the ones the provider failed now', async () => {
    let failing: string | undefined;
    script({ failLine: (id) => id === failing });
    const ids = await submit(h, Array.from({ length: 4 }, (_, i) => ({ endpoint: '/v1/chat/completions', body: chat('gpt-4o-mini', `p${i}`), mode: 'batch' })));
    failing = ids[2];
    const jobs = await Promise.all(ids.map((id) => waitJob(h, id)));
    assert.deepEqual(jobs.map((job) => job.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    assert.deepEqual(jobs.map(contentOf), ['answer to p0', 'answer to p1', 'answer to p2', 'answer to p3']);
    assert.deepEqual(directChats(h), ['p2']);
    assert.deepEqual(batchLines(h).sort(), [ids[0], ids[1], ids[3]].sort());
  });

  it('runs jobs now when the batch fails validation, or when the call has no batch form at its provider', async () => {
    script({ outcome: 'failed' });
    // An Anthropic-shaped call for a GPT model is translated: neither batch API takes it.
    const [openaiJob, translatedJob] = await submit(h, [
      { endpoint: '/v1/chat/completions', body: chat('gpt-4o-mini', 'f0'), mode: 'batch' },
      { endpoint: '/v1/messages', body: { model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'f1' }] }, mode: 'batch' },
    ]);
    const [a, b] = [await waitJob(h, openaiJob!), await waitJob(h, translatedJob!)];
    assert.deepEqual([a.status, b.status], ['succeeded', 'succeeded']);
    assert.equal(contentOf(a), 'answer to f0');
    assert.equal((b.response!.body as { content: { text: string }[] }).content[0]!.text, 'answer to f1');
    // Only the chat job went in a batch (which failed); both then ran directly.
    assert.deepEqual([...h.fake.batches.batches.values()].map((batch) => batch.status), ['failed']);
    assert.deepEqual(directChats(h).sort(), ['f0', 'f1']);
    assert.deepEqual(batchLines(h), []);
  });

  it('sends Claude jobs as an Anthropic message batch, each answered by custom id at half price; an expired one runs them now', async () => {
    h.fake.messageBatches.script = {};
    const ids = await submit(h, Array.from({ length: 6 }, (_, i) => ({ endpoint: '/v1/messages', body: chat('claude-3-5-haiku-latest', `m${i}`), mode: 'batch' })));
    const jobs = await Promise.all(ids.map((id) => waitJob(h, id)));
    jobs.forEach((job, i) => {
      assert.equal(job.status, 'succeeded');
      assert.equal((job.response!.body as { type: string; content: { text: string }[] }).type, 'message');
      assert.equal((job.response!.body as { content: { text: string }[] }).content[0]!.text, `answer to m${i}`);
    });
    assert.equal(h.fake.messageBatches.batches.size, 1);
    assert.deepEqual(batchLines(h).sort(), [...ids].sort());
    const direct = await h.anthropic().messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [{ role: 'user', content: 'm0' }] });
    assert.equal(direct.content[0]!.type === 'text' && direct.content[0].text, 'answer to m0');
    const rows = await h.waitForRequests(7);
    const batched = rows.find((row) => row.id === jobs[0]!.requestId)!;
    assert.ok(Math.abs(batched.costUsd! - rows[0]!.costUsd! / 2) < 1e-12, `${batched.costUsd} is half of ${rows[0]!.costUsd}`);

    await h.reset();
    h.fake.behave((req) => ({ kind: 'ok', text: `answer to ${lastUserText(req.json)}` }));
    h.fake.messageBatches.script = { outcome: 'expired' };
    const [late] = await submit(h, [{ endpoint: '/v1/messages', body: chat('claude-3-5-haiku-latest', 'late'), mode: 'batch' }]);
    const job = await waitJob(h, late!);
    assert.equal(job.status, 'succeeded');
    assert.equal(h.fake.requests.filter((r) => r.path === '/v1/messages' && !r.headers['x-fake-batch-custom-id']).length, 1);
  });

  it('defers a call into a batch with x-tollgate-defer: batch, and a job cancelled while submitted keeps no batch answer', async () => {
    script({ pollsPerState: 3 });
    const deferred = async (question: string): Promise<string> => {
      const raw = await h.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] }, { headers: { 'x-tollgate-defer': 'batch' } }).asResponse();
      assert.equal(raw.status, 202);
      return raw.headers.get('x-tollgate-job-id')!;
    };
    const [kept, dropped] = [await deferred('d0'), await deferred('d1')];
    // Cancelled once the batch holds it: the provider may still answer it, but the job stays cancelled.
    let seen = '';
    for (let i = 0; i < 200 && seen !== 'submitted'; i++) {
      seen = (await waitJobNow(h, dropped)).status;
      if (seen !== 'submitted') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(seen, 'submitted');
    const cancel = await fetch(`${h.gateway.url}/tollgate/v1/jobs/${dropped}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.gateway.token}` } });
    assert.equal(cancel.status, 200);
    const job = await waitJob(h, kept);
    assert.equal(job.status, 'succeeded');
    assert.equal(contentOf(job), 'answer to d0');
    const cancelled = await waitJobNow(h, dropped);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.response, null);
    assert.deepEqual(directChats(h), []);
  });

  it('takes a job out of its batch when the batch would miss the job\'s deadline', async () => {
    // The batch never finishes in time: the job leaves it with time to spare and runs now.
    script({ pollsPerState: 1_000_000 });
    const [id] = await submit(h, [{ endpoint: '/v1/chat/completions', body: chat('gpt-4o-mini', 'slow'), mode: 'batch', deadline: 7 }]);
    const job = await waitJob(h, id!);
    assert.equal(job.status, 'succeeded');
    assert.equal(contentOf(job), 'answer to slow');
    assert.equal(h.fake.batches.batches.size, 1);
    assert.deepEqual(directChats(h), ['slow']);
  });
});
