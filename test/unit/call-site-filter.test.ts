import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { callSiteFilter } from '../../extension/call-site-filter';

describe("a CodeLens click's filter for the usage panel", () => {
  const hashes = ['0123456789abcdef', 'fedcba9876543210'];
  it('names the site by file and line, and matches it by its message hashes', () => {
    assert.deepEqual(callSiteFilter({ uri: 'file:///work/src/my%20review.ts', line: 11, hashes, tag: null }), { site: hashes.join(','), siteLabel: 'my review.ts:12' });
  });
  it('uses the tag when the code tags its calls', () => {
    assert.deepEqual(callSiteFilter({ uri: 'file:///a.ts', line: 0, hashes, tag: 'review-bot' }), { tag: 'review-bot' });
  });
  it('gives no filter for hashes the gateway would refuse, and survives a malformed URI', () => {
    assert.equal(callSiteFilter({ uri: 'file:///a.ts', line: 0, hashes: ['not-a-hash'], tag: null }), undefined);
    assert.equal(callSiteFilter({ uri: 'file:///a.ts', line: 0, hashes: [], tag: null }), undefined);
    assert.equal(callSiteFilter({ uri: 'file:///%E0%A4%A.ts', line: 2, hashes, tag: null })?.siteLabel, '%E0%A4%A.ts:3');
  });
});
