import type { GatewaySupervisor } from './daemon';
import type { HintsClient } from './hints-client';
import type { ProviderKeys } from './secrets';
import type { UsageModel } from './usage';
import type { UsagePanel } from './panel';

/** What the commands work with; built once in main.ts. */
export interface Services {
  supervisor: GatewaySupervisor;
  keys: ProviderKeys;
  usage: UsageModel;
  panel: UsagePanel;
  hints: HintsClient;
  dataDir: string;
  /** Where VS Code lets this extension keep files (the key tests check nothing secret is there). */
  storagePaths: string[];
  activation: ActivationTiming;
}

export interface ActivationTiming {
  /** Date.now() when activate() was entered. */
  startedAt: number;
  /** Date.now() when activate() returned. */
  activatedAt?: number;
}
