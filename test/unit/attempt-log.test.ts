import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { attemptsOf } from '../../daemon/gateway/store/attempt-log';

const base = { attemptLog: null, provider: 'openai', keyAlias: 'openai#1', status: 200, latencyMs: 419.6, attempts: 1 };

describe('attempt log: the attempts a logged call made', () => {
  const cases: [string, Parameters<typeof attemptsOf>[0], ReturnType<typeof attemptsOf>][] = [
    ['one attempt that worked is the row itself', base, [{ provider: 'openai', target: 'openai', key: 'openai#1', status: 200, ms: 420 }]],
    ['a cache hit made none', { ...base, attempts: 0, provider: 'openai' }, []],
    ['every key resting: the gateway\'s own 429 counts against the provider', { ...base, attempts: 0, status: 429, keyAlias: null }, [{ provider: 'openai', target: 'openai', key: '', status: 429, ms: 420 }]],
    [
      'a 429 then a fallback to another provider',
      { ...base, attempts: 2, attemptLog: 'openai/gpt-4o[openai#2] 429 rate_limited 31ms > anthropic/claude-haiku-4-5[ant-main] 200 388ms' },
      [
        { provider: 'openai', target: 'openai/gpt-4o', key: 'openai#2', status: 429, ms: 31 },
        { provider: 'anthropic', target: 'anthropic/claude-haiku-4-5', key: 'ant-main', status: 200, ms: 388 },
      ],
    ],
    ['a timeout has no status', { ...base, attemptLog: 'openai/gpt-4o[openai#1] timeout 30000ms' }, [{ provider: 'openai', target: 'openai/gpt-4o', key: 'openai#1', status: null, ms: 30000 }]],
    ['a line that does not parse is skipped, not guessed at', { ...base, attemptLog: 'garbage > openai/gpt-4o[k] 500 server_error 12ms' }, [{ provider: 'openai', target: 'openai/gpt-4o', key: 'k', status: 500, ms: 12 }]],
  ];
  for (const [name, row, expected] of cases) it(name, () => assert.deepEqual(attemptsOf(row), expected));
});
