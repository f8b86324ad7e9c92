import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbedReply, EmbedRequest } from './embed-worker';
import { normalize } from './vector-index';

/** Turns the text a semantic lookup compares into a unit vector. */
export interface Embedder {
  /** Which embedder, as the config names it ("local" or "provider/model"); vectors of different embedders never meet. */
  readonly name: string;
  embed(text: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * Case and spacing say nothing about what is asked, but the encoder reads them ("WHAT IS A MONAD"
 * and "what is a monad" score 0.48): texts are embedded lower-cased with single spaces. The
 * guards see the original texts.
 */
export function embeddingInput(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The local encoder on its own thread (embed-worker.ts), started at the first text and kept. */
export class LocalEmbedder implements Embedder {
  readonly name = 'local';
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (vector: Float32Array) => void; reject: (error: Error) => void }>();

  embed(text: string): Promise<Float32Array> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text: embeddingInput(text) } satisfies EmbedRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the embedder was stopped'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startEmbedThread();
    worker.unref();
    worker.on('message', (reply: EmbedReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new Error(`local embedder: ${reply.error}`));
      else waiting.resolve(normalize(reply.vector));
    });
    worker.on('error', (error) => {
      this.worker = undefined;
      this.failAll(error);
    });
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** The bundle ships dist/embed-worker.js beside dist/tollgate.js; from sources (tests) tsx loads the .ts. */
function startEmbedThread(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'embed-worker.js'));
  const source = join(__dirname, 'embed-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
}

/**
 * An embeddings model of a configured provider ("openai/text-embedding-3-small"), called through
 * the gateway's own pipeline (loopback, the daemon token): its keys, retries and log apply, and
 * the call is priced and logged like any other.
 */
export class GatewayEmbedder implements Embedder {
  constructor(
    readonly name: string,
    private readonly gateway: () => { port: number; token: string },
  ) {}

  async embed(text: string): Promise<Float32Array> {
    const { port, token } = this.gateway();
    const response = await fetch(`http://127.0.0.1:${port}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-tollgate-tag': 'tollgate-semantic-cache' },
      body: JSON.stringify({ model: this.name, input: embeddingInput(text) }),
    });
    const body = (await response.json().catch(() => undefined)) as { data?: { embedding?: number[] }[] } | undefined;
    const vector = body?.data?.[0]?.embedding;
    if (!response.ok || !Array.isArray(vector)) throw new Error(`embedder ${this.name} answered ${response.status}`);
    return normalize(vector);
  }

  async close(): Promise<void> {}
}
