import { randomBytes } from 'node:crypto';
import type { RuntimeConfig, RuntimeProvider } from '../../config/runtime';
import { GatewayError } from '../../http/errors';
import { keysFor } from '../../pipeline/credentials';
import { resolveModel } from '../../routing/resolve';
import type { WaitingJob } from '../../store/batch-store';
import { anthropicBatches } from './anthropic-batch-api';
import type { BatchDriver, BatchEndpoint } from './driver';
import { openaiBatches } from './openai-batch-api';

/** Batch APIs by provider type (the registry: a type not here has none Tollgate drives). */
const DRIVERS: Readonly<Partial<Record<RuntimeProvider['type'], BatchDriver>>> = { openai: openaiBatches, anthropic: anthropicBatches };

export function driverOf(provider: RuntimeProvider): BatchDriver | undefined {
  return DRIVERS[provider.type];
}

export interface Placement {
  provider: RuntimeProvider;
  /** The model as the provider names it (an alias resolved). */
  model: string;
}

/**
 * Where a batch-mode job's batch goes: its model's first target, when that provider has a batch
 * API Tollgate drives and a key Tollgate holds. Otherwise, the reason it runs now instead.
 */
export function placeInBatch(runtime: RuntimeConfig, job: WaitingJob, now: number, marginMs: number): Placement | string {
  if (job.deadlineAt - now < marginMs) return 'too close to its deadline for a batch; the job runs now';
  let target;
  try {
    target = resolveModel(runtime, job.model ?? '').targets[0];
  } catch {
    // The pipeline gives the caller the precise refusal when the job runs.
    return `model "${job.model}" resolves to no provider; the job runs now`;
  }
  if (!target) return `model "${job.model}" has no target; the job runs now`;
  const driver = driverOf(target.provider);
  if (!driver) return `provider "${target.provider.id}" (${target.provider.type}) has no batch API Tollgate drives; the job runs now`;
  // A translated call (an OpenAI-shaped job for a Claude model) has no batch form on either side.
  if (!driver.endpoints.has(job.endpoint)) return `${job.endpoint} has no batch form at provider "${target.provider.id}"; the job runs now`;
  if (!apiOf(target.provider)) return `Tollgate holds no key for provider "${target.provider.id}"; the job runs now`;
  return { provider: target.provider, model: target.model };
}

/** The provider's batch API with the first key the gateway holds for it. */
export function apiOf(provider: RuntimeProvider): (BatchEndpoint & { keyAlias: string }) | undefined {
  const keys = keysFor(provider, { kind: 'gateway' });
  const key = keys instanceof GatewayError ? undefined : keys[0];
  if (!key) return undefined;
  return { baseUrl: provider.baseUrl, headers: { ...provider.adapter.requiredHeaders, ...provider.headers, ...provider.adapter.authHeaders(key.value) }, keyAlias: key.alias };
}

export function newBatchId(): string {
  return `tbatch_${randomBytes(9).toString('base64url')}`;
}
