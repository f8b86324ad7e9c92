import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../daemon/gateway/config/json-schema';

const out = process.argv[2];
if (!out) throw new Error('usage: gen-config-schema OUT_FILE');
writeFileSync(out, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
