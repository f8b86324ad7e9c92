import { AdminError } from '../daemon/gateway/api/client';
import type { Config } from '../daemon/gateway/config/schema';
import type { GatewayApi } from './gateway-api';

/**
 * Read-modify-write of the gateway's config through the admin API: GET /config, change a copy,
 * PUT it back. The gateway validates it with the one zod schema, writes the file and applies it
 * without a restart; a refusal comes back with every problem listed.
 */
export async function editConfig(api: GatewayApi, change: (config: Config) => void): Promise<Config> {
  const { config } = await api.getConfig();
  const next = structuredClone(config);
  change(next);
  try {
    return (await api.putConfig(next)).config;
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
