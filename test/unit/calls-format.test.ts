import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'mocha';
import type { RequestDetail, RequestLogEntry } from '../../daemon/gateway/api/contracts';
import { callDetailMarkdown } from '../../extension/call-detail-text';
import { CALL_COLUMNS, callCell, callsToCsv, callsToJson } from '../../extension/calls-format';
import { toEntry } from '../../daemon/gateway/store/log-row';
import { row } from '../helpers/log-rows';

const calls: RequestLogEntry[] = [
  toEntry(row({ id: 'req_a', errorMessage: 'He said "no", then\nleft, twice', clientTag: 'a,b', costUsd: null })),
  toEntry(row({ id: 'req_b', stream: true, attemptLog: 'openai/gpt-4o-mini[openai#2] 429 rate_limited 30ms > openai/gpt-4o-mini[openai#1] 200 470ms', attempts: 2 })),
  { ...toEntry(row({ id: 'req_c' })), job: { id: 'job_1', mode: 'batch', savedUsd: 0.0125 } },
];

/** Python's csv module: a reader that is not ours. */
function parseCsv(text: string): string[][] {
  return JSON.parse(execFileSync('python3', ['-c', 'import csv, json, sys, io; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: text }).toString()) as string[][];
}

describe('calls export', () => {
  it('CSV parses with a standard reader into the calls, field for field (quotes, commas, line breaks, nulls)', () => {
    const [header, ...rows] = parseCsv(callsToCsv(calls));
    assert.deepEqual(header, [...CALL_COLUMNS]);
    assert.equal(rows.length, calls.length);
    rows.forEach((cells, i) => {
      CALL_COLUMNS.forEach((column, j) => {
        const value = callCell(calls[i]!, column);
        assert.equal(cells[j], value === null || value === undefined ? '' : String(value), `${calls[i]!.id}.${column}`);
      });
    });
    // A deferred call's job is three plain columns, not "[object Object]".
    const job = (name: string): string => rows[2]![CALL_COLUMNS.indexOf(name as (typeof CALL_COLUMNS)[number])]!;
    assert.deepEqual([job('jobId'), job('jobMode'), job('jobSavedUsd')], ['job_1', 'batch', '0.0125']);
    assert.ok(!rows.flat().some((cell) => cell.includes('[object')));
  });

  it('JSON parses back to the same calls', () => {
    assert.deepEqual(JSON.parse(callsToJson(calls)), calls);
  });
});

describe('call detail tab', () => {
  const detail = (overrides: Partial<RequestDetail>): RequestDetail => ({
    ...calls[1]!,
    requestBody: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
    responseBody: 'data: {"x":1}\n\ndata: [DONE]\n\n',
    bodiesTruncated: false,
    costBreakdown: { inputUsd: 0.0001, cachedInputUsd: 0, outputUsd: 0.0002 },
    ...overrides,
  });

  it('pretty-prints a JSON body, shows a stream as sent, and lists every attempt', () => {
    const text = callDetailMarkdown(detail({}));
    assert.match(text, /```json\n\{\n {2}"model": "gpt-4o-mini",/);
    assert.match(text, /```\ndata: \{"x":1\}/);
    assert.match(text, /1\. openai key `openai#2`: 429 after 30 ms\n2\. openai key `openai#1`: 200 after 470 ms/);
    assert.match(text, /\| Output \| 10 \| \$0\.000200 \|/);
  });

  it('says why bodies are missing or cut', () => {
    assert.match(callDetailMarkdown(detail({ requestBody: null, responseBody: null })), /Not kept: bodies are stored only while `logging.bodies` is on/);
    assert.match(callDetailMarkdown(detail({ bodiesTruncated: true })), /Cut at `logging.maxBodyBytes`/);
    assert.match(callDetailMarkdown(detail({ costBreakdown: null })), /No per-token rates for this model/);
  });
});
