import { Cancellation } from '../http/cancellation';
import type { UpstreamRequest } from '../providers/upstream';
import { attemptUpstream, type AttemptResult } from '../resilience/attempt';
import { isRecord, parseJson } from '../../shared/json';
import { splitEmbeddings } from './split-embeddings';

export interface EmbeddingBatching {
  windowMs: number;
  maxInputs: number;
}

interface Member {
  request: UpstreamRequest;
  inputs: unknown[];
  resolve(result: AttemptResult): void;
}

interface Group {
  members: Member[];
  inputs: number;
  timer: NodeJS.Timeout;
  /** The upstream body without its input: every member's is the same. */
  rest: Record<string, unknown>;
}

/**
 * Embedding micro-batching: attempts at the same upstream (URL, key, model and options) that
 * arrive within `windowMs` go as one request whose `input` is all of theirs, and each caller
 * gets its own part of the answer (split-embeddings.ts). It sits where the dispatcher sends an
 * attempt, so each caller's call keeps its own routing, retries, usage, cost and log row. When
 * the shared request is refused (one caller's bad input makes the provider refuse all), each
 * caller's own request is sent instead, so the bad input fails only its caller.
 */
export class EmbeddingBatcher {
  private readonly groups = new Map<string, Group>();
  /** Attempts asked for and upstream requests sent (the benchmark reports the reduction). */
  readonly counts = { upstream: 0, callers: 0 };

  constructor(private readonly send: (request: UpstreamRequest) => Promise<AttemptResult> = attemptUpstream) {}

  attempt(request: UpstreamRequest, settings: EmbeddingBatching): Promise<AttemptResult> {
    this.counts.callers++;
    const parsed = parseJson(request.body?.toString('utf8') ?? '');
    if (!isRecord(parsed) || parsed['input'] === undefined) return this.sendCounted(request);
    const { input, ...rest } = parsed;
    const inputs = asList(input);
    // Text and token inputs cannot share a request (the API takes a list of one or the other).
    const kind = typeof inputs[0] === 'string' ? 'text' : 'tokens';
    const key = `${request.url.href}\u0000${String(request.headers['authorization'] ?? request.headers['api-key'] ?? '')}\u0000${kind}\u0000${JSON.stringify(rest)}`;
    return new Promise((resolve) => {
      let group = this.groups.get(key);
      if (group && group.inputs + inputs.length > settings.maxInputs) {
        this.flush(key, group);
        group = undefined;
      }
      if (!group) {
        group = { members: [], inputs: 0, rest, timer: setTimeout(() => this.flush(key, this.groups.get(key)), settings.windowMs) };
        this.groups.set(key, group);
      }
      group.members.push({ request, inputs, resolve });
      group.inputs += inputs.length;
      if (group.inputs >= settings.maxInputs) this.flush(key, group);
    });
  }

  private flush(key: string, group: Group | undefined): void {
    if (!group || this.groups.get(key) !== group) return;
    this.groups.delete(key);
    clearTimeout(group.timer);
    void this.serve(group);
  }

  private async serve(group: Group): Promise<void> {
    const { members } = group;
    if (members.length === 1) return members[0]!.resolve(await this.sendCounted(members[0]!.request));
    const shares: { offset: number; inputs: unknown[] }[] = [];
    let offset = 0;
    for (const member of members) {
      shares.push({ offset, inputs: member.inputs });
      offset += member.inputs.length;
    }
    const first = members[0]!.request;
    // The shared request outlives any one caller: a caller that leaves must not cut the others'.
    const shared: UpstreamRequest = { ...first, headers: { ...first.headers }, cancellation: new Cancellation(), body: Buffer.from(JSON.stringify({ ...group.rest, input: shares.flatMap((s) => s.inputs) })) };
    const result = await this.sendCounted(shared);
    const bodies = result.kind === 'complete' && result.status < 400 ? splitEmbeddings(result.body, shares, String(group.rest['model'] ?? '')) : undefined;
    if (result.kind === 'complete' && bodies) {
      const headers = { ...result.headers };
      delete headers['content-length'];
      members.forEach((member, i) => member.resolve({ kind: 'complete', status: result.status, headers, body: bodies[i]! }));
      return;
    }
    if (result.kind === 'stream' || result.kind === 'large') result.open.response.destroy();
    if (result.kind === 'failed') return members.forEach((member) => member.resolve(result));
    // Refused, or not splittable: each caller's own request, so only a bad input's caller fails.
    await Promise.all(members.map(async (member) => member.resolve(await this.sendCounted(member.request))));
  }

  private sendCounted(request: UpstreamRequest): Promise<AttemptResult> {
    this.counts.upstream++;
    return this.send(request);
  }
}

function asList(input: unknown): unknown[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'number')) return [input];
  return Array.isArray(input) ? input : [input];
}
