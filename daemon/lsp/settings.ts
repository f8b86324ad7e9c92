import { z } from 'zod';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, type HintSettings } from './protocol';

/**
 * Reads settings from initializationOptions and workspace/didChangeConfiguration. Lenient on
 * purpose: a bad value (a typo in settings.json) falls back to its default instead of turning
 * every hint off.
 */

const d = DEFAULT_SETTINGS;

const settingsSchema = z.object({
  hints: z
    .object({
      inlayHints: z.boolean().catch(d.hints.inlayHints).default(d.hints.inlayHints),
      hover: z.boolean().catch(d.hints.hover).default(d.hints.hover),
      codeLens: z.boolean().catch(d.hints.codeLens).default(d.hints.codeLens),
      diagnostics: z.boolean().catch(d.hints.diagnostics).default(d.hints.diagnostics),
    })
    .catch({ ...d.hints })
    .default({ ...d.hints }),
  defaultModel: z.string().trim().min(1).catch(d.defaultModel).default(d.defaultModel),
  currency: z
    .object({
      code: z.string().regex(/^[A-Z]{3}$/).catch(d.currency.code).default(d.currency.code),
      significantDigits: z.number().int().min(1).max(6).catch(d.currency.significantDigits).default(d.currency.significantDigits),
      perUsd: z.number().positive().catch(d.currency.perUsd).default(d.currency.perUsd),
    })
    .catch({ ...d.currency })
    .default({ ...d.currency }),
  promptFiles: z
    .object({
      enabled: z.boolean().catch(d.promptFiles.enabled).default(d.promptFiles.enabled),
      markdown: z.boolean().catch(d.promptFiles.markdown).default(d.promptFiles.markdown),
    })
    .catch({ ...d.promptFiles })
    .default({ ...d.promptFiles }),
  priceOverrides: z
    .record(
      z.string(),
      z.object({ input: z.number().nonnegative(), output: z.number().nonnegative(), cacheRead: z.number().nonnegative().optional(), cacheWrite: z.number().nonnegative().optional() }),
    )
    .catch({})
    .default({}),
});

export function parseSettings(input: unknown): HintSettings {
  const parsed = settingsSchema.safeParse(typeof input === 'object' && input !== null ? input : {});
  return parsed.success ? (parsed.data as HintSettings) : structuredClone(DEFAULT_SETTINGS);
}

/**
 * didChangeConfiguration carries `{ settings: { tollgate: {...} } }` when the client synchronises
 * the "tollgate" section; a client that sends the section itself is accepted too.
 */
export function settingsFromConfiguration(settings: unknown): HintSettings {
  const section = typeof settings === 'object' && settings !== null && CONFIGURATION_SECTION in settings ? (settings as Record<string, unknown>)[CONFIGURATION_SECTION] : settings;
  return parseSettings(section);
}
