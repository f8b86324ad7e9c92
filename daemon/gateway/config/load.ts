import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type Config } from './schema';

/** Every problem in a config, each naming where it is: `providers[1].baseUrl: Invalid URL`. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}:\n  ${problems.join('\n  ')}`);
  }
}

/** A missing file is not an error: the defaults (OpenAI + Anthropic, keys from env) apply. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({}, path);
    throw new ConfigError(path, [`cannot read: ${(error as Error).message}`]);
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, source: string): Config {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(value, source);
}

export function parseConfig(value: unknown, source: string): Config {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(source, result.error.issues.map(formatIssue));
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
