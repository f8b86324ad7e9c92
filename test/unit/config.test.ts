import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ConfigError, parseConfig, parseConfigText } from '../../daemon/gateway/config/load';
import { buildRuntime } from '../../daemon/gateway/config/runtime';
import { resolveModel } from '../../daemon/gateway/routing/resolve';
import { GatewayError } from '../../daemon/gateway/http/errors';

function problemsOf(value: unknown): readonly string[] {
  try {
    parseConfig(value, 'config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('expected the config to be refused');
}

describe('config', () => {
  it('defaults to OpenAI and Anthropic, holding keys only for the env variables that are set', () => {
    const saved = { ...process.env };
    process.env['OPENAI_API_KEY'] = 'sk-from-env';
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      const runtime = buildRuntime(parseConfig({}, 'defaults'), process.env);
      assert.deepEqual(runtime.providerList.map((p) => [p.id, p.keys.length]), [['openai', 1], ['anthropic', 0]]);
      assert.equal(runtime.defaultProvider.id, 'openai');
    } finally {
      process.env = saved;
    }
  });

  it('names the path of every problem', () => {
    const problems = problemsOf({
      providers: [
        { id: 'a', type: 'openai', baseUrl: 'not a url' },
        { id: 'a', type: 'grpc', baseUrl: 'https://x' },
      ],
      models: { fast: { targets: ['nobody/model', 'no-slash'] } },
      defaultProvider: 'ghost',
      logging: { bodies: 'yes' },
    });
    const text = problems.join('\n');
    for (const expected of ['providers[0].baseUrl', 'providers[1].type', 'models.fast.targets[1]', 'logging.bodies']) {
      assert.ok(text.includes(expected), `${expected} missing from:\n${text}`);
    }
  });

  it('checks references to providers once the fields themselves are valid', () => {
    const problems = problemsOf({
      providers: [{ id: 'a', type: 'openai', baseUrl: 'https://a.example/v1' }, { id: 'a', type: 'openai', baseUrl: 'https://b.example/v1' }],
      models: { fast: { targets: ['nobody/model'] } },
      defaultProvider: 'ghost',
    }).join('\n');
    assert.match(problems, /providers\[1\]\.id: duplicate provider id "a"/);
    assert.match(problems, /models\.fast\.targets\[0\]: no provider with id "nobody"/);
    assert.match(problems, /defaultProvider: no provider with id "ghost"/);
  });

  it('reports invalid JSON with the parser message', () => {
    assert.throws(() => parseConfigText('{"providers": [', 'config.json'), (error: ConfigError) => /not valid JSON/.test(error.problems[0]!));
  });

  it('warns about, and skips, a key whose environment variable is unset', () => {
    const config = parseConfig({ providers: [{ id: 'groq', type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', apiKeys: ['env:NOPE', 'gsk-literal'] }] }, 'c');
    const runtime = buildRuntime(config, {});
    assert.deepEqual(runtime.providerList[0]!.keys.map((k) => k.alias), ['groq#2']);
    assert.deepEqual(runtime.warnings, ['providers[0].apiKeys[0]: environment variable NOPE is not set; key skipped']);
  });
});

describe('model resolution', () => {
  const runtime = buildRuntime(
    parseConfig(
      {
        providers: [
          { id: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', modelPrefixes: ['gpt-'] },
          { id: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com', modelPrefixes: ['claude-'] },
          { id: 'openrouter', type: 'openai', baseUrl: 'https://openrouter.ai/api/v1', modelPrefixes: ['meta-llama/'] },
        ],
        models: { smart: { targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'] } },
      },
      'c',
    ),
    {},
  );
  const resolve = (model: string): string[] => resolveModel(runtime, model).targets.map((t) => `${t.provider.id}/${t.model}`);

  it('takes provider/model explicitly, then aliases, then prefixes, then the default provider', () => {
    assert.deepEqual(resolve('anthropic/claude-3-5-haiku-latest'), ['anthropic/claude-3-5-haiku-latest']);
    assert.deepEqual(resolve('smart'), ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o']);
    assert.deepEqual(resolve('claude-3-opus'), ['anthropic/claude-3-opus']);
    assert.deepEqual(resolve('meta-llama/llama-3.1-8b'), ['openrouter/meta-llama/llama-3.1-8b']);
    assert.deepEqual(resolve('mistral-large'), ['openai/mistral-large']);
  });

  it('refuses a vendor prefix that no provider explains', () => {
    assert.throws(
      () => resolve('ghost/model'),
      (error: GatewayError) => error.status === 400 && error.errorClass === 'caller_unknown_provider' && /Unknown provider "ghost"/.test(error.message),
    );
  });
});
