/**
 * The Node options the daemon runs with, wherever it is started from: `tollgate start` (and so
 * the extension, which runs it) passes them to the detached daemon, `npm start` repeats them in
 * package.json (a unit test keeps the two equal), and the benchmark starts the daemon with them.
 *
 * --max-semi-space-size=4: the gateway's garbage is per call and dies young, and a young
 * generation of 4 MB semi-spaces collects it as cheaply as V8's default, which lets them grow to
 * 16 MB under load. Measured with test/bench/threads-probe.ts, 32 connections, three interleaved
 * runs each: peak RSS 171 -> 155 MB, CPU per call the same within the noise (1 MB semi-spaces
 * cost 10-20 % more CPU; --optimize-for-size reaches 116 MB but costs 30-50 % more CPU).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
