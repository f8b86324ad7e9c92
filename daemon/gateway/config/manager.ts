import { copyFileSync, existsSync, readFileSync, renameSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EventEmitter } from 'node:events';
import { loadConfigFile, parseConfig, parseConfigDocument, parseConfigText, ConfigError } from './load';
import { patchText } from './jsonc';
import { mergePatch } from './merge-patch';
import { isDeepStrictEqual } from 'node:util';
import { buildRuntime, type HeldKey, type RuntimeConfig } from './runtime';
import type { Config } from './schema';

/**
 * Owns the current RuntimeConfig. Changes arrive from the file (edited by hand or by VS Code's
 * "Edit Routing Rules"), from PUT /tollgate/v1/config, or from keys pushed by the editor; each
 * builds a fresh snapshot and swaps it in. Requests already in flight keep theirs.
 */
export class ConfigManager extends EventEmitter<{ change: [RuntimeConfig]; error: [ConfigError] }> {
  private runtime: RuntimeConfig;
  private readonly pushedKeys = new Map<string, HeldKey[]>();
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super();
    this.runtime = buildRuntime(loadConfigFile(path), env);
  }

  current(): RuntimeConfig {
    return this.runtime;
  }

  /**
   * Validates the whole document, then writes it atomically (a temporary file renamed over the
   * old one) after copying the previous file to config.json.bak, then applies it. Throws
   * ConfigError, leaving everything as it was.
   */
  replace(input: unknown): RuntimeConfig {
    const config = parseConfig(input, 'config');
    this.write(`${JSON.stringify(input, null, 2)}\n`);
    return this.apply(config);
  }

  /** Atomically: a temporary file renamed over the old one, after the old one is copied to .bak. */
  private write(text: string): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    if (existsSync(this.path)) copyFileSync(this.path, this.backupPath);
    renameSync(temporary, this.path);
  }

  /** Where replace() keeps the file it overwrote. */
  get backupPath(): string {
    return `${this.path}.bak`;
  }

  /**
   * Applies a JSON Merge Patch to the file's text where each member stands (config/jsonc.ts), so
   * comments and layout elsewhere survive; validates the result whole, then writes it like
   * replace(). Throws ConfigError, leaving everything as it was.
   */
  patch(patch: Record<string, unknown>): RuntimeConfig {
    const before = existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
    const expected = mergePatch(parseConfigDocument(before, this.path), patch);
    let text = patchText(before, patch);
    // The in-place edit must mean exactly what RFC 7396 says; if it ever does not, the merged
    // document is written plainly instead (comments lost, content right).
    if (!isDeepStrictEqual(parseConfigDocument(text, 'config'), expected)) text = JSON.stringify(expected, null, 2);
    const config = parseConfigText(text, 'config');
    this.write(text.endsWith('\n') ? text : `${text}\n`);
    return this.apply(config);
  }

  setPushedKeys(providerId: string, keys: HeldKey[]): void {
    if (keys.length === 0) this.pushedKeys.delete(providerId);
    else this.pushedKeys.set(providerId, keys);
    this.apply(this.runtime.config);
  }

  pushedKeysFor(providerId: string): readonly HeldKey[] {
    return this.pushedKeys.get(providerId) ?? [];
  }

  /**
   * Reloads when the file changes on disk; an invalid edit is reported and ignored. Watches the
   * directory, not the file: editors save by renaming a new file over the old one, which a
   * watch on the old file would never see.
   */
  watchFile(): void {
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, filename) => {
      if (filename === name) this.scheduleReload();
    });
  }

  close(): void {
    this.watcher?.close();
    clearTimeout(this.reloadTimer);
  }

  private scheduleReload(): void {
    // Editors save in several steps (truncate, write, rename); act once they are done.
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reloadFromDisk(), 100);
    this.reloadTimer.unref();
  }

  /** The last time the file changed on disk and what came of it (null until it first does). */
  lastReload: { at: number; ok: boolean; message: string } | null = null;

  private reloadFromDisk(): void {
    try {
      const config = loadConfigFile(this.path);
      // Our own writes (replace) come back through the watcher: nothing new to apply. A file put
      // back as it was after a refused edit clears that refusal.
      if (JSON.stringify(config) === JSON.stringify(this.runtime.config)) {
        if (this.lastReload?.ok === false) this.lastReload = { at: Date.now(), ok: true, message: 'applied (the running config already matched)' };
        return;
      }
      this.apply(config);
      this.lastReload = { at: Date.now(), ok: true, message: 'applied' };
    } catch (error) {
      if (error instanceof ConfigError) {
        this.lastReload = { at: Date.now(), ok: false, message: `ignored, the running config stays: ${error.problems.join('; ')}` };
        this.emit('error', error);
      }
      else throw error;
    }
  }

  private apply(config: Config): RuntimeConfig {
    this.runtime = buildRuntime(config, this.env, this.pushedKeys);
    this.emit('change', this.runtime);
    return this.runtime;
  }
}
