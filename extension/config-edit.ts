import { AdminError } from '../daemon/gateway/api/client';
import type { Config } from '../daemon/gateway/config/schema';
import type { GatewayApi } from './gateway-api';

/**
 * A change to the gateway's config through the admin API, as a JSON Merge Patch (PATCH /config):
 * only the members it names change, so the user's config.json keeps its shape and comments-free
 * brevity rather than being rewritten with every default. The gateway validates the result with
 * the one zod schema, writes the file (keeping a backup) and applies it without a restart; a
 * refusal comes back with every problem listed.
 */
export async function editConfig(api: GatewayApi, patch: Record<string, unknown>): Promise<Config> {
  try {
    return (await api.patchConfig(patch)).config;
  } catch (error) {
    if (error instanceof AdminError && error.status === 400) throw new Error(`The gateway refused the change. ${error.message}`);
    throw error;
  }
}

/** Thrown when the user dismisses a quick pick or input box: the command ends quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}
