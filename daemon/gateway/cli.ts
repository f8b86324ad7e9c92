import { parseArgs } from 'node:util';
import { defaultDataDir } from './state-file';
import { VERSION } from './version';
import { detectShell, printEnv, type Shell } from './cli/env';
import { start } from './cli/start';
import { printStats } from './cli/stats';
import { printWhatIf } from './cli/routing';
import { status, stop } from './cli/stop-status';
import { tail } from './cli/tail';
import { printJobs } from './cli/jobs';

const USAGE = `tollgate ${VERSION}: a local LLM gateway that logs the cost and latency of every call

Usage:
  tollgate start [--foreground] [--port N] [--config FILE] [--data-dir DIR]
  tollgate stop | status [--data-dir DIR]
  tollgate env [--shell bash|fish|powershell]   print the exports that point SDKs at the gateway
  tollgate stats [--since today|24h|7d]          spend and latency by model
  tollgate tail [--no-follow]                    the last calls, then each new one as it happens
  tollgate routing what-if [--since 7d]          what routing by complexity would have cost
  tollgate jobs [--status S] [--tag T]           deferred jobs, newest last, with counts by status

Defaults: port 4141; data directory $TOLLGATE_HOME or ~/.tollgate; config <data dir>/config.json.`;

const COMMANDS: Record<string, (values: Values, argv: string[]) => Promise<number> | number> = {
  start: (values, argv) =>
    start(
      {
        foreground: values.foreground === true,
        port: parsePort(values.port),
        configPath: values.config,
        dataDir: values['data-dir'] ?? defaultDataDir(),
      },
      argv.filter((arg) => arg !== '--foreground'),
    ),
  stop: (values) => stop(values['data-dir'] ?? defaultDataDir()),
  status: (values) => status(values['data-dir'] ?? defaultDataDir()),
  env: (values) => printEnv(values['data-dir'] ?? defaultDataDir(), parseShell(values.shell)),
  stats: (values) => printStats(values['data-dir'] ?? defaultDataDir(), values.since ?? 'today'),
  routing: (values, argv) => {
    if (!argv.includes('what-if')) {
      console.error('tollgate routing: the one subcommand is what-if (tollgate routing what-if --since 7d)');
      return 1;
    }
    return printWhatIf(values['data-dir'] ?? defaultDataDir(), values.since ?? '7d');
  },
  jobs: (values) => printJobs(values['data-dir'] ?? defaultDataDir(), { status: values.status, tag: values.tag }),
  tail: (values) => tail(values['data-dir'] ?? defaultDataDir(), values['no-follow'] !== true),
};

type Values = {
  foreground?: boolean;
  port?: string;
  config?: string;
  'data-dir'?: string;
  shell?: string;
  since?: string;
  'no-follow'?: boolean;
  status?: string;
  tag?: string;
  help?: boolean;
  version?: boolean;
};

function parsePort(text: string | undefined): number {
  const fromEnv = process.env['TOLLGATE_PORT'];
  const port = Number(text ?? fromEnv ?? 4141);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes a port number (got "${text ?? fromEnv}")`);
  return port;
}

function parseShell(text: string | undefined): Shell {
  if (text === undefined) return detectShell(process.env);
  if (text === 'bash' || text === 'zsh' || text === 'sh') return 'bash';
  if (text === 'fish' || text === 'powershell') return text;
  if (text === 'pwsh') return 'powershell';
  throw new Error(`--shell takes bash, fish or powershell (got "${text}")`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      foreground: { type: 'boolean' },
      port: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      shell: { type: 'string' },
      since: { type: 'string' },
      'no-follow': { type: 'boolean' },
      status: { type: 'string' },
      tag: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    console.log(VERSION);
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`tollgate: unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  return run(values, argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`tollgate: ${error.message}`);
    process.exitCode = 1;
  },
);
