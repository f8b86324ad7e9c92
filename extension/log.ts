import * as vscode from 'vscode';

/**
 * The extension's one log: a LogOutputChannel ("Tollgate" in the Output view, level set by the
 * user). Nothing in the extension writes to the console. Provider keys and the daemon token
 * never go through here.
 */
export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  show(): void;
}

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Tollgate', { log: true });
  return channel;
}

/** Usable before activation has created the channel (it is then created on first use). */
export const log: Log = {
  trace: (message) => createLog().trace(message),
  debug: (message) => createLog().debug(message),
  info: (message) => createLog().info(message),
  warn: (message) => createLog().warn(message),
  error: (message) => createLog().error(message),
  show: () => createLog().show(true),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
