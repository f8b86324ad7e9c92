import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type Config } from './schema';
import { JsoncSyntaxError, jsoncLocator, parseJsonc } from './jsonc';

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

/** config.json is JSONC (comments, trailing commas); every problem names its line and column. */
export function parseConfigText(text: string, source: string): Config {
  return parseConfig(parseConfigDocument(text, source), source, text);
}

/** The document a config file holds, not yet validated. Throws ConfigError naming line and column. */
export function parseConfigDocument(text: string, source: string): unknown {
  try {
    return parseJsonc(text);
  } catch (error) {
    if (!(error instanceof JsoncSyntaxError)) throw error;
    throw new ConfigError(source, error.problems.map((problem) => `not valid JSON(C) at ${problem}`));
  }
}

/** Validates a config document; with the text it came from, each problem says where it is. */
export function parseConfig(value: unknown, source: string, text?: string): Config {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  // A document can hold any number of wrong values (a 100,000-element array of them): the first
  // few say what is wrong, and locating each costs a walk of the text.
  const issues = result.error.issues;
  const locator = text === undefined ? undefined : jsoncLocator(text);
  const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => formatIssue(issue, locator));
  if (issues.length > MAX_PROBLEMS) problems.push(`…and ${issues.length - MAX_PROBLEMS} more problems`);
  throw new ConfigError(source, problems);
}

const MAX_PROBLEMS = 20;

function formatIssue(issue: z.core.$ZodIssue, locate: ((path: readonly PropertyKey[]) => string | undefined) | undefined): string {
  const path = formatPath(issue.path);
  const where = locate?.(issue.path);
  const at = [path, where && `(${where})`].filter(Boolean).join(' ');
  return at ? `${at}: ${issue.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
