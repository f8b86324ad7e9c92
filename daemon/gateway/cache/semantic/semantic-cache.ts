import type { CacheEntry } from '../../store/cache-store';
import type { SemanticRow, SemanticStore } from '../../store/semantic-store';
import type { ResponseCache } from '../response-cache';
import type { Embedder } from './embedder';
import { semanticGuard } from './guards';
import type { SemanticQuery } from './scope';
import { VectorIndex } from './vector-index';

/** A semantic hit: the stored answer, how close its question was, and that question. */
export interface SemanticHit {
  entry: CacheEntry;
  similarity: number;
}

/** The questions of one scope (and embedder) in memory: their vectors, and what each points at. */
interface ScopeIndex {
  index: VectorIndex | undefined;
  questions: Map<number, { entryKey: string; text: string }>;
  byEntry: Map<string, number>;
}

/** Questions read from SQLite per event-loop turn when a scope is first asked about (a few ms). */
const LOAD_PAGE = 32;
/** At most this many scopes are kept in memory; the least recently asked is dropped (and read again when asked). */
const SCOPES_KEPT = 256;
/** The int8 vectors estimate a similarity within about ±0.005; candidates are taken that much below the threshold and checked exactly against it. */
const QUANTIZATION_SLACK = 0.01;

/**
 * Near-duplicate lookups on top of the exact cache. A question is compared only with the stored
 * questions of its scope (semantic/scope.ts); the nearest ones at or above the threshold are
 * tried best first, and the first whose answer is still in the exact cache and whose text passes
 * the guards (semantic/guards.ts) answers. Vectors are held per scope in memory, read from SQLite
 * in pages from the first time a scope is asked about.
 */
export class SemanticCache {
  private readonly scopes = new Map<string, ScopeIndex>();
  private nextId = 1;

  constructor(
    private readonly store: SemanticStore,
    private readonly exact: ResponseCache,
  ) {}

  async lookup(query: SemanticQuery, embedder: Embedder, threshold: number, maxAgeMs: number | undefined): Promise<{ vector: Float32Array; hit: SemanticHit | undefined }> {
    const vector = await embedder.embed(query.text);
    const scope = this.scopeIndex(query.scope, embedder.name);
    if (!scope.index) return { vector, hit: undefined };
    for (const candidate of scope.index.nearest(vector, threshold - QUANTIZATION_SLACK, 8)) {
      if (candidate.similarity < threshold) break;
      const question = scope.questions.get(candidate.id);
      if (!question) continue;
      const entry = this.exact.lookup(question.entryKey, maxAgeMs);
      if (!entry) {
        // Expired, evicted or cleared: its question goes too.
        if (maxAgeMs === undefined) this.forget(scope, candidate.id);
        continue;
      }
      if (semanticGuard(query.text, question.text) !== undefined) continue;
      return { vector, hit: { entry, similarity: Math.min(1, candidate.similarity) } };
    }
    return { vector, hit: undefined };
  }

  /** A new answer's question, as it will be stored with the answer. */
  remember(row: SemanticRow): void {
    const scope = this.scopeIndex(row.scope, row.embedder);
    this.add(scope, row.entryKey, row.query, row.vector);
  }

  /** Questions held in memory (for GET /tollgate/v1/cache). */
  get questions(): number {
    let count = 0;
    for (const scope of this.scopes.values()) count += scope.questions.size;
    return count;
  }

  private scopeIndex(scope: string, embedder: string): ScopeIndex {
    const name = `${embedder}\u0000${scope}`;
    let index = this.scopes.get(name);
    if (index) {
      this.scopes.delete(name);
      this.scopes.set(name, index);
      return index;
    }
    index = { index: undefined, questions: new Map(), byEntry: new Map() };
    this.scopes.set(name, index);
    if (this.scopes.size > SCOPES_KEPT) this.scopes.delete(this.scopes.keys().next().value!);
    this.load(name, index, scope, embedder);
    return index;
  }

  /**
   * Reads a scope's stored questions a page per event-loop turn, so that a large scope never
   * holds up requests (indexing a question costs ~0.1 ms): lookups meanwhile see the questions
   * read so far. Questions remembered meanwhile are already in; the pages skip them.
   */
  private load(name: string, index: ScopeIndex, scope: string, embedder: string, afterKey = ''): void {
    if (this.scopes.get(name) !== index) return;
    let page;
    try {
      page = this.store.scopePage(scope, embedder, afterKey, LOAD_PAGE);
    } catch {
      // The database is busy or gone (stopping): this scope stays as read so far.
      return;
    }
    for (const row of page) if (!index.byEntry.has(row.entryKey)) this.add(index, row.entryKey, row.query, row.vector);
    if (page.length === LOAD_PAGE) setImmediate(() => this.load(name, index, scope, embedder, page.at(-1)!.entryKey));
  }

  private add(scope: ScopeIndex, entryKey: string, text: string, vector: Float32Array): void {
    const known = scope.byEntry.get(entryKey);
    if (known !== undefined) this.forget(scope, known);
    const id = this.nextId++;
    scope.index ??= new VectorIndex(vector.length);
    if (scope.index.dims !== vector.length) return;
    scope.index.add(id, vector);
    scope.questions.set(id, { entryKey, text });
    scope.byEntry.set(entryKey, id);
  }

  private forget(scope: ScopeIndex, id: number): void {
    const question = scope.questions.get(id);
    scope.index?.remove(id);
    scope.questions.delete(id);
    if (question) scope.byEntry.delete(question.entryKey);
  }
}
