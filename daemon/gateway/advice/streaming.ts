import { formatCount, formatMs } from '../cli/format';
import { LONG_ANSWER_TOKENS } from '../store/advice-rollups';
import { seconds, share, type AdviceRule } from './rule';

/** Enough long unstreamed answers to be a habit of the code, not a one-off. */
const MIN_LONG = 10;
/** Streams of a model needed to take its time to first token as measured. */
const MIN_STREAMS = 5;
/** When no stream was ever measured: a conservative time to first token. */
const ASSUMED_TTFT_MS = 1000;

/**
 * Long answers (LONG_ANSWER_TOKENS output tokens or more) fetched without streaming: the caller
 * waits for the last token before seeing the first. Streamed, the first words arrive after the
 * model's time to first token: measured on its own streams, else on all streams, else assumed.
 */
export const unstreamedAnswers: AdviceRule = ({ facts, toMonth, waitMs }) => {
  const long = facts.models.filter((m) => m.longUnstreamed > 0);
  const count = long.reduce((sum, m) => sum + m.longUnstreamed, 0);
  if (count < MIN_LONG) return [];
  const allStreams = facts.models.reduce((sum, m) => sum + m.streams, 0);
  const allTtft = allStreams >= MIN_STREAMS ? facts.models.reduce((sum, m) => sum + m.ttftSumMs, 0) / allStreams : undefined;
  let waitedMs = 0;
  let savedMs = 0;
  let firstTokenMs = 0;
  let assumed = false;
  for (const m of long) {
    const ttft = (m.streams >= MIN_STREAMS ? m.ttftSumMs / m.streams : allTtft) ?? ASSUMED_TTFT_MS;
    if (m.streams < MIN_STREAMS && allTtft === undefined) assumed = true;
    waitedMs += m.longUnstreamedMs;
    firstTokenMs += m.longUnstreamed * ttft;
    savedMs += Math.max(0, m.longUnstreamedMs - m.longUnstreamed * ttft);
  }
  if (savedMs <= 0) return [];
  return [
    {
      kind: 'streaming',
      title: 'Stream long answers',
      summary: `${formatCount(count)} answers of ${LONG_ANSWER_TOKENS}+ tokens were fetched whole: the caller saw nothing until the last token. Streamed (stream: true), the first words arrive after the time to first token.`,
      evidence: [
        { label: 'Long unstreamed answers', value: formatCount(count) },
        { label: 'Mean wait for them', value: formatMs(waitedMs / count) },
        { label: 'Time to first token when streamed', value: `${formatMs(firstTokenMs / count)}${assumed ? ' (assumed: too few streams to measure)' : ' (measured on streams)'}` },
        { label: 'Waiting before the first word that would be saved', value: seconds(savedMs) },
        { label: 'Models', value: long.sort((a, b) => b.longUnstreamed - a.longUnstreamed).slice(0, 3).map((m) => `${m.provider}/${m.model} (${formatCount(m.longUnstreamed)})`).join(', ') },
      ],
      effect: { unit: 'seconds', amount: (savedMs / 1000) * toMonth, per: 'month' },
      share: share(savedMs, waitMs),
      action: null,
    },
  ];
};
