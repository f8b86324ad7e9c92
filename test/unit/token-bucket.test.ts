import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { TokenBucket } from '../../daemon/gateway/resilience/token-bucket';

describe('token bucket', () => {
  it('starts one second of refill short of a full minute, and refills continuously', () => {
    const bucket = new TokenBucket(600, 0); // 10 a second; capacity 590
    assert.equal(bucket.availableAt(0, 590), 0);
    bucket.take(0, 590);
    assert.equal(bucket.availableAt(0, 1), 101, 'one token takes 100 ms, plus the safety millisecond');
    assert.equal(bucket.availableAt(1000, 10), 1000, 'a second later ten are back');
  });

  it('an ask larger than the bucket waits for a full bucket rather than forever', () => {
    const bucket = new TokenBucket(60, 0); // capacity 59
    bucket.take(0, 59);
    assert.equal(bucket.availableAt(0, 10_000), 59_001);
  });

  it('adjust() corrects an estimate with the real figure, both ways', () => {
    const bucket = new TokenBucket(2000, 0);
    bucket.take(0, 10);
    bucket.adjust(5000); // the call really used 5,010
    const wait = bucket.availableAt(0, 1) ;
    assert.ok(wait > 90_000 && wait < 100_000, `${wait}`);
    const generous = new TokenBucket(2000, 0);
    generous.take(0, 1000);
    generous.adjust(-900); // it used only 100
    assert.equal(generous.availableAt(0, 1800), 0);
  });
});
