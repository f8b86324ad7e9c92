import type { Config } from '../config/schema';

/**
 * The config endpoints' part of the admin API contract (the rest is in contracts.ts, which the
 * browser-side usage panel also reads and so must not pull in the config schema's Node types).
 */

/** GET /tollgate/v1/config: the config in force, literal keys redacted (api/config-redaction.ts). */
export interface ConfigResponse {
  path: string;
  config: Config;
}

/** PUT and PATCH /tollgate/v1/config: the config now in force, and what did not stop it (unset key variables). */
export interface ConfigUpdateResponse extends ConfigResponse {
  warnings: string[];
}
