import { readState } from '../state-file';

export type Shell = 'bash' | 'fish' | 'powershell';

/**
 * The lines that point SDKs and tools at the gateway. OPENAI_API_KEY and ANTHROPIC_API_KEY are the
 * daemon token: calls made with it use the keys Tollgate holds (a tool's own provider key also
 * works, passed through). The Anthropic SDK refuses to start without a key, so it gets one too.
 */
export function envLines(shell: Shell, port: number, token: string): string[] {
  const vars: [string, string][] = [
    ['OPENAI_BASE_URL', `http://127.0.0.1:${port}/v1`],
    ['OPENAI_API_KEY', token],
    ['ANTHROPIC_BASE_URL', `http://127.0.0.1:${port}`],
    ['ANTHROPIC_API_KEY', token],
  ];
  const line = {
    bash: ([name, value]: [string, string]) => `export ${name}=${quotePosix(value)}`,
    fish: ([name, value]: [string, string]) => `set -gx ${name} ${quotePosix(value)}`,
    powershell: ([name, value]: [string, string]) => `$env:${name} = "${value}"`,
  }[shell];
  return vars.map(line);
}

export function printEnv(dataDir: string, shell: Shell): number {
  const state = readState(dataDir);
  if (!state) {
    console.error('tollgate: not running (no daemon.json); start it with: tollgate start');
    return 1;
  }
  for (const line of envLines(shell, state.port, state.token)) console.log(line);
  return 0;
}

export function detectShell(env: NodeJS.ProcessEnv): Shell {
  if (env['SHELL']?.endsWith('fish')) return 'fish';
  if (process.platform === 'win32') return 'powershell';
  return 'bash';
}

function quotePosix(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
