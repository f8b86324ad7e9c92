// Drives the code-server workbench in headless Chromium (playwright-core, Debian's chromium).
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { onCleanup } from './processes';
import { CHROMIUM, CHROMIUM_ARGS } from './tools';

export interface SuiteResult {
  exitCode: number;
  passed: number;
  failed: number;
  /** Mocha's output, one formatted log call per entry. */
  lines: string[];
}

type Sink = { log: (line: string) => void; exit: (code: number) => void };

/** Where the workbench's smoke-test hooks report; switched per window. */
let sink: Sink = { log: () => undefined, exit: () => undefined };

export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  onCleanup('chromium', () => context.close());
  // The workbench calls these when it runs with --enable-smoke-test-driver and a test payload.
  await context.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const parts = Array.isArray(args) ? args : [args];
    sink.log(`${type === 'error' ? '[err] ' : ''}${format(...(parts as [unknown, ...unknown[]]))}`);
  });
  await context.exposeFunction('codeAutomationExit', (code: number) => sink.exit(code));
  return context;
}

/** "vscode-remote://HOST:PORT/abs/path": how the browser names a file on the code-server side. */
export function remoteUri(server: CodeServer, path: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}

export function workbenchUrl(server: CodeServer, folder: string, payload: [string, string][]): string {
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Opens a window that loads the extension from source and runs the extension-host suite in it
 * (the @vscode/test-electron runner contract: the suite module's run() resolves or rejects).
 */
export async function runExtensionTests(page: Page, url: string, timeoutMs: number, echo: (line: string) => void): Promise<SuiteResult> {
  const lines: string[] = [];
  const exitCode = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the extension-host suite did not finish in ${timeoutMs / 1000} s`)), timeoutMs);
    sink = {
      log: (line) => {
        lines.push(line);
        echo(line);
      },
      exit: (code) => {
        clearTimeout(timer);
        resolve(code);
      },
    };
    page.goto(url).catch(reject);
  });
  sink = { log: () => undefined, exit: () => undefined };
  const count = (word: string): number => Number(lines.map((l) => new RegExp(`(\\d+) ${word}`).exec(l)?.[1]).find((n) => n !== undefined) ?? 0);
  return { exitCode, passed: count('passing'), failed: count('failing'), lines };
}

/** Waits until the workbench has restored (editor area and activity bar are there). */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
}
