import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { adviceResponse, type AdviceResponse } from '../../daemon/gateway/api/advice-contracts';
import type { LogRow } from '../../daemon/gateway/store/log-row';
import { startHarness, type Harness } from '../helpers/harness';
import { row } from '../helpers/log-rows';
import { plant } from '../helpers/plant';
import { cost, DAY_MS, HOUR_MS } from '../helpers/planted-log';

const MONTH_MS = 30 * DAY_MS;
const QUESTIONS = [
  'What is the difference between TCP and UDP',
  'How do I read a file line by line in Python',
  'Explain the CAP theorem',
  'What is Docker used for',
  'How does garbage collection work in Java',
  'List the planets of the solar system',
];

/** A chat call asking `question` of gpt-4o-mini (at temperature 0 unless sampled), everything else equal. */
const ask = (ts: number, question: string, temperature = 0): LogRow =>
  row({
    ts,
    promptTokens: 300,
    completionTokens: 100,
    costUsd: cost('gpt-4o-mini', 300, 100),
    requestBody: Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', temperature, messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: question }] })),
  });

/** The advice once the background sample is done: the first request starts it and says it is pending. */
async function afterSample(h: Harness): Promise<AdviceResponse> {
  let advice = adviceResponse.parse(await h.admin.advice('7d'));
  assert.deepEqual(advice.pending, ['near-duplicates'], 'the first request starts a sample');
  while (advice.pending?.includes('near-duplicates')) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    advice = adviceResponse.parse(await h.admin.advice('7d'));
  }
  return advice;
}

describe('advisor: reworded questions the semantic cache would have answered', () => {
  const start = Math.floor((Date.now() - 3 * DAY_MS) / HOUR_MS) * HOUR_MS;
  // Each question asked, then an hour later asked again in lower case with its spacing changed: not
  // the exact cache's repeat (the text differs), the semantic cache's near-duplicate.
  const rows = QUESTIONS.flatMap((q, i) => [ask(start + i * 60_000, `${q}?`), ask(start + HOUR_MS + i * 60_000, `${q.toLowerCase().replace(' ', '  ')}?`)]);
  let h: Harness;
  let advice: AdviceResponse;
  before(async () => {
    h = await startHarness();
    plant(h, rows);
    advice = await afterSample(h);
  });
  after(() => h.close());

  it('counts them from a sample embedded by the local encoder, priced at what they cost', () => {
    const items = advice.advice.filter((a) => a.kind === 'near-duplicates');
    assert.equal(items.length, 1, JSON.stringify(advice.advice.map((a) => a.kind)));
    const item = items[0]!;
    assert.match(item.evidence[0]!.value, new RegExp(`^${QUESTIONS.length} of ${rows.length} \\(a sample`));
    const expected = QUESTIONS.length * cost('gpt-4o-mini', 300, 100) * (MONTH_MS / (advice.until - start));
    assert.ok(Math.abs(item.effect.amount - expected) <= 0.1 * expected, `${item.effect.amount} is not within 10 % of ${expected}`);
  });
});

describe('advisor: look-alike questions the semantic cache must not answer', () => {
  const start = Math.floor((Date.now() - 3 * DAY_MS) / HOUR_MS) * HOUR_MS;
  // Another number, another name, a negation: close as embeddings, but the guards refuse them.
  const pairs = [
    ['Convert 100 Fahrenheit to Celsius.', 'Convert 200 Fahrenheit to Celsius.'],
    ['What is the capital of France?', 'What is the capital of Germany?'],
    ['Is Python a compiled language?', 'Is Python not a compiled language?'],
    ['Give me three tips for better sleep.', 'Give me five tips for better sleep.'],
  ];
  let h: Harness;
  before(async () => {
    h = await startHarness();
    plant(h, [
      ...pairs.flatMap(([a, b], i) => [ask(start + i * 60_000, a!), ask(start + HOUR_MS + i * 60_000, b!)]),
      // Near-duplicates, but sampled (temperature 1): the cache keeps no answer to them.
      ...QUESTIONS.flatMap((q, i) => [ask(start + 2 * HOUR_MS + i * 60_000, `${q}?`, 1), ask(start + 3 * HOUR_MS + i * 60_000, `${q.toLowerCase()}?`, 1)]),
    ]);
  });
  after(() => h.close());

  it('gives no near-duplicate advice on other numbers, names, negations, or sampled calls, once the sample is done', async () => {
    const advice = await afterSample(h);
    assert.equal(advice.calls, 2 * pairs.length + 2 * QUESTIONS.length);
    assert.deepEqual(advice.advice.filter((a) => a.kind === 'near-duplicates'), []);
  });
});
