import { anthropic } from './anthropic';
import { openaiCompatible } from './openai-compatible';
import type { ProviderAdapter } from './types';

/** The one registry of provider types; the config schema's `type` enum is derived from it. */
export const PROVIDER_ADAPTERS = {
  openai: openaiCompatible,
  anthropic,
} as const satisfies Record<string, ProviderAdapter>;

export type ProviderType = keyof typeof PROVIDER_ADAPTERS;

export const PROVIDER_TYPES = Object.keys(PROVIDER_ADAPTERS) as [ProviderType, ...ProviderType[]];
