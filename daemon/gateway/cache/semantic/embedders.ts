import { throttledWarning } from '../../http/throttled-warning';
import { GatewayEmbedder, LocalEmbedder, type Embedder } from './embedder';

/**
 * The embedder the config names, made once and kept: the local encoder's thread starts with the
 * first semantic lookup, never at start-up, so the daemon pays its memory (~60 MB) only when the
 * semantic cache is on.
 */
export class Embedders {
  private local: LocalEmbedder | undefined;
  private readonly remote = new Map<string, GatewayEmbedder>();
  private readonly warn: (message: string) => void;

  constructor(
    private readonly gateway: () => { port: number; token: string },
    warn: (message: string) => void,
  ) {
    this.warn = throttledWarning(warn);
  }

  named(name: string): Embedder {
    if (name === 'local') return (this.local ??= new LocalEmbedder());
    let embedder = this.remote.get(name);
    if (!embedder) {
      embedder = new GatewayEmbedder(name, this.gateway);
      this.remote.set(name, embedder);
    }
    return embedder;
  }

  /** An embedder that fails makes lookups misses (the call goes to the provider); said at most once a minute. */
  failed(name: string, error: unknown): void {
    this.warn(`semantic cache: embedder ${name} failed, lookups are misses meanwhile: ${error instanceof Error ? error.message : String(error)}`);
  }

  async close(): Promise<void> {
    await this.local?.close();
    this.local = undefined;
  }
}
