import { z } from 'zod';

export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** "provider/model": the provider id, then the model name that provider knows. */
export const targetName = z.string().regex(/^[^/]+\/.+$/, 'must be "provider/model"');
