import { z } from 'zod';
import { configSchema } from './schema';

/**
 * The JSON Schema VS Code validates config.json with (contributes.jsonValidation). Generated
 * from the zod schema at build time, never written by hand. `io: input` describes what a user
 * writes: fields with defaults are optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tollgate gateway configuration',
  };
}
