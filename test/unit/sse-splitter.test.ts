import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseSseEvent, SseSplitter } from '../../daemon/gateway/usage/sse-splitter';

describe('SseSplitter', () => {
  const text = (buffers: Buffer[]): string[] => buffers.map((b) => b.toString('utf8'));

  it('cuts events at blank lines, whatever the chunk boundaries', () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\n\nevent: done\ndata: [DONE]\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const splitter = new SseSplitter();
      const events = [...splitter.push(Buffer.from(stream.slice(0, cut))), ...splitter.push(Buffer.from(stream.slice(cut)))];
      assert.deepEqual(text(events), ['data: {"a":1}\n\n', 'data: {"b":2}\n\n', 'event: done\ndata: [DONE]\n\n'], `cut at ${cut}`);
      assert.equal(splitter.rest(), undefined);
    }
  });

  it('accepts CRLF line endings and keeps an unfinished event as the rest', () => {
    const splitter = new SseSplitter();
    assert.deepEqual(text(splitter.push(Buffer.from('data: x\r\n\r\ndata: y'))), ['data: x\r\n\r\n']);
    assert.equal(splitter.rest()?.toString(), 'data: y');
  });

  it('does not split a multi-byte character across events', () => {
    const splitter = new SseSplitter();
    const bytes = Buffer.from('data: "héllo 🌍"\n\n');
    const events = [...splitter.push(bytes.subarray(0, 10)), ...splitter.push(bytes.subarray(10))];
    assert.equal(parseSseEvent(events[0]!).data, '"héllo 🌍"');
  });

  it('parses event names and joins multi-line data', () => {
    assert.deepEqual(parseSseEvent(Buffer.from('event: message_start\ndata: {"a":\ndata: 1}\n\n')), { event: 'message_start', data: '{"a":\n1}' });
    assert.deepEqual(parseSseEvent(Buffer.from('data:no-space\n\n')), { event: undefined, data: 'no-space' });
  });
});
