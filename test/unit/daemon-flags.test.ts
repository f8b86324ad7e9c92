import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { DAEMON_NODE_FLAGS } from '../../daemon/gateway/cli/node-flags';

describe('the daemon is started with the same Node options every way', () => {
  it('npm start passes the options tollgate start gives the detached daemon', () => {
    const start = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'];
    assert.equal(start, `node ${DAEMON_NODE_FLAGS.join(' ')} dist/tollgate.js start --foreground`);
  });
});
