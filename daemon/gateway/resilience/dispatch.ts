import type { ProviderKey } from '../config/runtime';
import type { Config } from '../config/schema';
import { GatewayError } from '../http/errors';
import type { UpstreamRequest } from '../providers/upstream';
import type { Target } from '../routing/resolve';
import { attemptUpstream, type AttemptResult } from './attempt';
import { backoffMs } from './backoff';
import { cooldownMs } from './cooldown';
import { classifyStatus, classifyTransportError, FAILURE_POLICY, MODEL_ACCESS_REST_MS, upstreamErrorMessage, type FailureClass } from './failure-class';
import { KeyPools, type Lease } from './key-pool';
import type { Unavailable } from './key-state';
import type { LatencyTracker } from './latency';

export interface DispatchPlan {
  /** In the order the routing strategy chose. */
  targets: readonly Target[];
  /** Where a prompt too long for the targets goes, if configured. */
  largerContext: Target | undefined;
  /** The keys that may serve a target, or why none may. */
  keysFor(target: Target): readonly ProviderKey[] | GatewayError;
  requestFor(target: Target, key: ProviderKey): UpstreamRequest;
  /** Rough prompt size, for tokens-per-minute limits. */
  estimatedTokens: number;
  resilience: Config['resilience'];
  isCancelled(): boolean;
  /** Sends one attempt; by default straight to the provider (embedding micro-batching shares it). */
  attempt?: ((request: UpstreamRequest) => Promise<AttemptResult>) | undefined;
}

export interface DispatchDeps {
  pools: KeyPools;
  latency: LatencyTracker;
}

export interface AttemptRecord {
  target: string;
  key: string;
  outcome: string;
  ms: number;
}

export type Served = Exclude<AttemptResult, { kind: 'failed' }>;

export type DispatchOutcome =
  /** `failure` classifies the answer served when it is the provider's error (status >= 400). */
  | { kind: 'served'; result: Served; target: Target; lease: Lease; attempts: AttemptRecord[]; failure: FailureClass | undefined }
  | { kind: 'refused'; error: GatewayError; attempts: AttemptRecord[] };

/** An attempt that got an answer, kept in case it is the one the client ends up with. */
interface Tried {
  result: AttemptResult;
  lease: Lease;
  target: Target;
  failure: FailureClass | undefined;
}

type RoundResult =
  | { kind: 'done'; outcome: DispatchOutcome }
  | { kind: 'larger_context' }
  | { kind: 'failed' }
  | { kind: 'busy'; freeAt: number; blocked: Unavailable | undefined };

/**
 * Tries targets in order, each with the keys that are free, until one serves the call.
 * Rate-limited keys rest (Retry-After) while the next key is tried at once; transient failures
 * move on to the next target at once. A round in which every target failed is followed, up to
 * `retries` times, by a jittered, growing backoff and another round, within the call's deadline. When every key of every target is
 * resting, the call waits up to maxWaitMs for the first to free up, else is refused with 429
 * and a Retry-After saying when that will be.
 */
export function dispatch(plan: DispatchPlan, deps: DispatchDeps): Promise<DispatchOutcome> {
  return new DispatchRun(plan, deps).execute();
}

class DispatchRun {
  private readonly attempts: AttemptRecord[] = [];
  private readonly deadline: number;
  private last: Tried | undefined;
  private lastError: GatewayError | undefined;
  /**
   * A caller's own key is never held resting or disabled beyond its call: its state lives here,
   * for this call only, while the keys the gateway holds share theirs across calls.
   */
  private callerKeys: KeyPools | undefined;

  constructor(
    private readonly plan: DispatchPlan,
    private readonly deps: DispatchDeps,
  ) {
    this.deadline = Date.now() + plan.resilience.deadlineMs;
  }

  async execute(): Promise<DispatchOutcome> {
    let targets = this.plan.targets;
    for (let round = 0; ; round++) {
      const result = await this.round(targets);
      if (result.kind === 'done') return result.outcome;
      if (result.kind === 'failed' && round >= this.plan.resilience.retries) return this.giveUp();
      if (result.kind === 'larger_context') {
        targets = [this.plan.largerContext!];
        continue;
      }
      const wait = result.kind === 'failed' ? backoffMs(round, this.plan.resilience) : result.freeAt - Date.now();
      if (result.kind === 'busy' && result.freeAt === Number.POSITIVE_INFINITY) return this.giveUp(noUsableKey(result.blocked));
      if (result.kind === 'busy' && wait > this.plan.resilience.maxWaitMs) return this.refuse(allResting(wait));
      if (Date.now() + wait > this.deadline) return this.giveUp(deadlinePassed(this.plan.resilience.deadlineMs));
      await sleep(Math.max(1, wait));
    }
  }

  private async round(targets: readonly Target[]): Promise<RoundResult> {
    let freeAt = Number.POSITIVE_INFINITY;
    let blocked: Unavailable | undefined;
    let failed = false;
    for (const target of targets) {
      if (this.plan.isCancelled()) return { kind: 'done', outcome: this.refuse(new GatewayError(499, 'client_disconnected', 'The client closed the connection')) };
      const outcome = await this.tryTarget(target);
      if (outcome.kind === 'done' || outcome.kind === 'larger_context') return outcome;
      if (outcome.kind === 'busy') {
        freeAt = Math.min(freeAt, outcome.freeAt);
        blocked ??= outcome.blocked;
      }
      if (outcome.kind === 'failed') failed = true;
    }
    return failed ? { kind: 'failed' } : { kind: 'busy', freeAt, blocked };
  }

  /** One target: its free keys in turn until one serves, the target fails, or no key is free. */
  private async tryTarget(target: Target): Promise<RoundResult> {
    const keys = this.plan.keysFor(target);
    if (keys instanceof GatewayError) {
      this.lastError = keys;
      return { kind: 'busy', freeAt: Number.POSITIVE_INFINITY, blocked: undefined };
    }
    const pool = keys[0]?.source === 'caller' ? (this.callerKeys ??= new KeyPools()) : this.deps.pools;
    const name = `${target.provider.id}/${target.model}`;
    for (;;) {
      const lease = pool.acquire(target.provider, keys, { tokens: this.plan.estimatedTokens, model: target.model });
      if (!('key' in lease)) return { kind: 'busy', ...lease };
      const started = performance.now();
      const result = await (this.plan.attempt ?? attemptUpstream)(this.plan.requestFor(target, lease.key));
      const ms = performance.now() - started;
      const failure = failureOf(result);
      this.attempts.push({ target: name, key: lease.key.alias, outcome: outcomeLabel(result, failure), ms });
      if (result.kind !== 'failed') lease.state.learn(result.headers, Date.now());
      this.keep({ result, lease, target, failure });
      if (!failure) {
        this.deps.latency.observe(name, ms);
        return { kind: 'done', outcome: this.serveLast() };
      }
      this.deps.latency.penalize(name, ms);
      const policy = FAILURE_POLICY[failure];
      // retryOn names the statuses worth another try; a transient failure outside it goes back to the caller.
      const retryable = !policy.transient || result.kind === 'failed' || this.plan.resilience.retryOn.includes(result.status);
      if (policy.next === 'return' || !retryable) return { kind: 'done', outcome: this.serveLast() };
      if (policy.next === 'larger_context') {
        const canGrow = this.plan.largerContext && this.plan.largerContext !== target;
        return canGrow ? { kind: 'larger_context' } : { kind: 'done', outcome: this.serveLast() };
      }
      if (policy.next === 'next_target') return { kind: 'failed' };
      restKey(lease, target.model, failure, result);
    }
  }

  /** Holds the newest answer (and its key); the one it replaces is released. */
  private keep(tried: Tried): void {
    this.last?.lease.release();
    this.last = tried;
  }

  private serveLast(): DispatchOutcome {
    const last = this.last!;
    this.last = undefined;
    if (last.result.kind === 'failed') {
      last.lease.release();
      return this.refuse(last.result.error);
    }
    return { kind: 'served', result: last.result, target: last.target, lease: last.lease, attempts: this.attempts, failure: last.failure };
  }

  /** Out of options: the client gets the provider's own last answer when there was one. */
  private giveUp(fallback?: GatewayError): DispatchOutcome {
    if (this.last) return this.serveLast();
    return this.refuse(this.lastError ?? fallback ?? new GatewayError(502, 'provider_unreachable', 'No provider could serve the request'));
  }

  private refuse(error: GatewayError): DispatchOutcome {
    this.last?.lease.release();
    this.last = undefined;
    return { kind: 'refused', error, attempts: this.attempts };
  }
}

function failureOf(result: AttemptResult): FailureClass | undefined {
  if (result.kind === 'failed') return classifyTransportError(result.error.errorClass);
  if (result.status < 400) return undefined;
  return classifyStatus(result.status, result.kind === 'complete' ? result.body : Buffer.alloc(0));
}

/** What the failure does to the key that met it (failure-class.ts decides which rest applies). */
function restKey(lease: Lease, model: string, failure: FailureClass, result: AttemptResult): void {
  const now = Date.now();
  const status = result.kind === 'failed' ? undefined : result.status;
  const said = result.kind === 'complete' ? `: ${upstreamErrorMessage(result.body)}` : '';
  switch (FAILURE_POLICY[failure].rest) {
    case 'cooldown':
      if (result.kind !== 'failed') lease.state.cooldownUntil = now + cooldownMs(result.headers);
      break;
    case 'disable':
      lease.state.disabledReason = `${failure === 'quota_exhausted' ? 'out of quota' : 'rejected by the provider'} (${status}${said})`;
      break;
    case 'rest_model':
      lease.state.restModel(model, { freeAt: now + MODEL_ACCESS_REST_MS, status, reason: `refused access to model "${model}" (${status}${said})` });
      break;
    case 'none':
      break;
  }
}

function outcomeLabel(result: AttemptResult, failure: FailureClass | undefined): string {
  if (result.kind === 'failed') return result.error.errorClass.replace(/^provider_/, '');
  return failure && failure !== 'caller_error' ? `${result.status} ${failure}` : String(result.status);
}

function allResting(waitMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new GatewayError(
    429,
    'provider_rate_limited',
    `Every key of every target is rate-limited or at its configured limit; the first frees up in ${seconds} s.`,
    { headers: { 'retry-after': String(seconds), 'retry-after-ms': String(Math.max(0, Math.round(waitMs))) } },
  );
}

/**
 * Every key of every target is blocked outright. A model the provider refused every key is
 * answered with the provider's own status (403/404), so SDKs raise the error they would have.
 */
function noUsableKey(blocked: Unavailable | undefined): GatewayError {
  if (blocked?.status !== undefined && blocked.freeAt !== Number.POSITIVE_INFINITY) {
    const retry = new Date(blocked.freeAt).toLocaleTimeString();
    return new GatewayError(blocked.status, 'provider_model_access', `Every key was ${blocked.reason}; Tollgate asks the provider again after ${retry} or when the config changes.`);
  }
  const why = blocked ? ` (${blocked.reason})` : '';
  return new GatewayError(401, 'gateway_no_key', `No usable key: every key for these targets was rejected by its provider or is out of quota${why}. Fix the key in config.json; a config change re-enables it.`);
}

function deadlinePassed(ms: number): GatewayError {
  return new GatewayError(504, 'provider_timeout', `No provider served the request within the ${ms} ms deadline (resilience.deadlineMs).`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
