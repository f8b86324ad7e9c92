import { isRecord } from '../../shared/json';
import type { EndpointKind } from '../endpoint-kind';

export const TIERS = ['simple', 'medium', 'complex', 'reasoning'] as const;
export type Tier = (typeof TIERS)[number];

/** Where the estimator draws its lines; `routing.thresholds` in the config overrides them. */
export interface Thresholds {
  /** Complexity points from which a prompt is `medium`, and `complex`. */
  medium: number;
  complex: number;
  /** Reasoning points from which a prompt is `reasoning` (whatever its complexity). */
  reasoning: number;
}

/** The defaults, set on the evaluation set in test/routing/prompts.ts (the test prints the agreement). */
export const DEFAULT_THRESHOLDS: Thresholds = { medium: 1, complex: 2.5, reasoning: 2.5 };

export interface Estimate {
  tier: Tier;
  /** Complexity points and reasoning points, the sums of the signals. */
  score: number;
  reasoningScore: number;
  /** Each signal that fired, with the points it added (negative: points it took away). */
  signals: Record<string, number>;
}

/**
 * How demanding a request is, from what it says, in well under a millisecond: no model, no
 * tokenizer (length is counted as characters / 4), only string scans over the prompt. Two
 * sums: complexity (length, conversation depth, code, design and planning words, debugging,
 * tools, images, output budget, how many requirements the request lists) and reasoning (proofs,
 * derivations, math, puzzles, an explicit reasoning effort). Every signal that fires is
 * reported with its points, so a routing decision can be read back.
 */
export function estimateComplexity(kind: EndpointKind, body: Record<string, unknown>, thresholds: Thresholds = DEFAULT_THRESHOLDS): Estimate {
  const { lastUser, allText, turns, images } = promptFacts(kind, body);
  const signals: Record<string, number> = {};
  const add = (name: string, points: number): void => {
    if (points !== 0) signals[name] = Math.round(((signals[name] ?? 0) + points) * 100) / 100;
  };
  const reasoning: Record<string, number> = {};
  const addReasoning = (name: string, points: number): void => {
    if (points !== 0) reasoning[name] = (reasoning[name] ?? 0) + points;
  };
  // The words that say what is asked sit at a prompt's ends; a long middle is pasted material, only
  // its length counts. Reading at most ~6,000 characters keeps a 20k-token prompt well under a millisecond.
  const asked = lastUser.length > 6000 ? `${lastUser.slice(0, 4000)}\n${lastUser.slice(-2000)}` : lastUser;
  const text = asked.toLowerCase();
  const tokens = Math.round(allText.length / 4);

  if (tokens > 6000) add('length', 3);
  else if (tokens > 1500) add('length', 2);
  else if (tokens > 400) add('length', 1);
  if (turns >= 5) add('conversation depth', 1);

  const codeLines = countCodeLines(asked);
  if (asked.includes('```') || codeLines >= 3) add('code', codeLines > 30 ? 1.5 : 0.5);

  const tasks = countMatches(text, TASK_WORDS);
  add('task', Math.min(1, tasks));
  const words = requestWords(asked);
  if (words > 50) add('long request', 1);
  else if (words > 30) add('long request', 0.5);
  if (countMatches(text, COMPOUND_QUESTION) > 0) add('compound question', 1);
  add('design and planning', Math.min(3, countMatches(text, DESIGN_WORDS) * 0.75));
  add('debugging', Math.min(1.5, countMatches(text, DEBUG_WORDS) * 0.75));
  const requirements = countRequirements(asked);
  if (requirements >= 4) add('many requirements', requirements >= 7 ? 1.5 : 0.75);
  const tools = Array.isArray(body['tools']) ? body['tools'].length : 0;
  if (tools > 0) add('tools', tools >= 3 ? 1.5 : 1);
  if (images > 0) add('images', 0.5);
  const cap = outputCap(body);
  if (cap !== undefined && cap >= 4000) add('output budget', 1);
  if (tokens < 25 && tasks === 0 && SIMPLE_OPENERS.test(text)) add('short lookup', -0.5);

  addReasoning('proof or derivation', Math.min(4, countMatches(text, PROOF_WORDS) * 2.5));
  addReasoning('math', Math.min(3, countMatches(text, MATH_WORDS) * 1.5 + (EQUATION.test(asked) ? 1.5 : 0)));
  if (isWordProblem(text)) addReasoning('word problem', 1.5);
  addReasoning('step-by-step reasoning', Math.min(1.5, countMatches(text, STEP_WORDS) * 1));
  addReasoning('puzzle', Math.min(2, countMatches(text, PUZZLE_WORDS) * 1.5));
  const effort = reasoningEffort(body);
  if (effort) addReasoning(`reasoning effort ${effort}`, effort === 'low' || effort === 'minimal' ? 1 : 3);

  const score = sum(signals);
  const reasoningScore = sum(reasoning);
  for (const [name, points] of Object.entries(reasoning)) signals[`reasoning: ${name}`] = Math.round(points * 100) / 100;
  const tier: Tier =
    reasoningScore >= thresholds.reasoning ? 'reasoning' : score >= thresholds.complex ? 'complex' : score >= thresholds.medium || reasoningScore >= thresholds.reasoning / 2 ? 'medium' : 'simple';
  return { tier, score: Math.round(score * 100) / 100, reasoningScore: Math.round(reasoningScore * 100) / 100, signals };
}

const TASK_WORDS = /\b(write|explain|summari[sz]e|describe|outline|draft|implement|refactor|review|compare|create|generate|convert|fix|rewrite|translate this paragraph|why does|why is|how does|how do i set up|pros and cons|difference between|interview questions|itinerary|meal plan|unit tests?|function|script|query|regular expression|regex|dockerfile|commit message|readme)\b/g;
const DESIGN_WORDS = /\b(propose|audit|redesign|pipeline|data model|infrastructure|considerations|experiments?|complete|full-featured|implementation of|(\d+ )?microservices|segments?|design|architect\w*|plan|strategy|migrat\w+|trade-?offs?|analy[sz]e|evaluate|threat model|roadmap|scal\w+|distributed|zero-downtime|production|comprehensive|in-depth|detailed|end-to-end|multi-\w+|step by step approach|rollout|postmortem|consisten\w+|concurren\w+|exactly-once|failure (modes?|handling)|disaster recovery|compliance|gdpr|security issues|recommendations?|go-to-market|curriculum|prioriti[sz]e)\b/g;
const DEBUG_WORDS = /\b(debug\w*|leaks?|intermittent\w*|latency spikes?|root cause|diagnos\w+|oomkilled|flaky|race condition|close_wait|investigate)\b/g;
const PROOF_WORDS = /\b(prove|proof|derive|derivation|lemma|induction|show that|formally verify|invariant|undecidable|counterexample|pigeonhole|prove or)\b/g;
const MATH_WORDS = /\b(solve (it|for|step)|diagonali[sz]e|eigenvalues|verify (them|the result)|probability|integral|eigen\w*|converge\w*|recurrence|variance|expected (number|value)|modulo|mod \d+|divisible|how many ways|solve (the|this) system|real solutions|optimal strategy|maximi[sz]e the|minimi[sz]e the|combinator\w*|permutations?)\b/g;
const STEP_WORDS = /\b(step by step|show (your|each) (reasoning|step|work)|reason (it )?(out|step)|explain the logic|think carefully|show the computation|with a derivation|justify)\b/g;
const PUZZLE_WORDS = /\b(devise a strategy|logic puzzle|puzzle|riddle|prisoners?|pirates?|must be true|which of these statements|labels? (is|are) wrong|relabel)\b/g;
const EQUATION = /[a-z0-9)]\s*(\^|\*\*)\s*\d|\b\d+\s*[a-z]\s*[+\-=]|[=<>]\s*-?\d+\s*[,.]?\s*(\d+\s*[a-z]|[a-z]\s*[+\-])|\bmod\s+\d+/i;
const SIMPLE_OPENERS = /^\s*(hi|hello|hey|thanks|thank you|good (morning|evening)|what is|what's|who|when|where|which|how many|define|translate|is |are |name |give me a (synonym|one-word)|spell|convert|capitali[sz]e|format|extract|classify|tag|answer yes or no)/;

/** A second question in the same request ("What causes X, and how do Y respond?"). */
const COMPOUND_QUESTION = /,? and (how|why|what|when|which)\b|\?\s+\S[^?]*\?/g;

/** Numbers and a question about them: a word problem ("A train leaves at 60 km/h… how long…"). */
function isWordProblem(text: string): boolean {
  const numbers = text.match(/\d+(\.\d+)?/g)?.length ?? 0;
  return numbers >= 3 && /\b(how (long|far|many|much)|what is the|which day|on which|find|when does)\b/.test(text);
}

/** Words of the request itself, without pasted material (code, quoted text, anything after a colon and a line break). */
function requestWords(text: string): number {
  const request = text.split(/:\s*\n|```/)[0]!.replace(/"[^"]*"/g, '"');
  return request.split(/\s+/).filter(Boolean).length;
}

function countMatches(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

/** Lines that look like code: ending in ; { } or starting with a keyword or an indented statement. */
function countCodeLines(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) {
    if (/[;{}]\s*$/.test(line) || /^\s*(import|export|const|let|var|function|def|class|return|if|for|while|SELECT|FROM)\b/.test(line)) count++;
  }
  return count;
}

/** Separately listed asks: commas and "and"s in the request, and numbered items. */
function countRequirements(text: string): number {
  const head = text.slice(0, 2000);
  return (head.match(/,/g)?.length ?? 0) + (head.match(/\band\b/g)?.length ?? 0) / 2 + (head.match(/(^|\s)\d\)/g)?.length ?? 0);
}

function outputCap(body: Record<string, unknown>): number | undefined {
  const cap = body['max_tokens'] ?? body['max_completion_tokens'] ?? body['max_output_tokens'];
  return typeof cap === 'number' ? cap : undefined;
}

function reasoningEffort(body: Record<string, unknown>): string | undefined {
  if (typeof body['reasoning_effort'] === 'string') return body['reasoning_effort'];
  const reasoning = body['reasoning'];
  if (isRecord(reasoning) && typeof reasoning['effort'] === 'string') return reasoning['effort'];
  const thinking = body['thinking'];
  if (isRecord(thinking) && thinking['type'] === 'enabled') return 'high';
  return undefined;
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((total, value) => total + value, 0);
}

export interface PromptFacts {
  lastUser: string;
  system: string;
  /** Every text of the request, for its length. */
  allText: string;
  turns: number;
  images: number;
}

/** The texts the signals and the routing rules read: the last user message, the system prompt, all text, turns, images. */
export function promptFacts(kind: EndpointKind, body: Record<string, unknown>): PromptFacts {
  const parts: string[] = [];
  const systems: string[] = [];
  let lastUser = '';
  let turns = 0;
  let images = 0;
  const textOf = (content: unknown): string => {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content
      .map((part) => {
        if (!isRecord(part)) return '';
        if (part['type'] === 'image_url' || part['type'] === 'image' || part['type'] === 'input_image') images++;
        return typeof part['text'] === 'string' ? part['text'] : '';
      })
      .join('\n');
  };
  if (kind === 'messages') systems.push(textOf(body['system']));
  if (kind === 'responses') {
    systems.push(typeof body['instructions'] === 'string' ? body['instructions'] : '');
    const input = body['input'];
    if (typeof input === 'string') {
      lastUser = input;
      turns = 1;
    } else if (Array.isArray(input)) {
      for (const item of input) {
        if (!isRecord(item)) continue;
        const text = textOf(item['content']);
        parts.push(text);
        turns++;
        if (item['role'] === 'user') lastUser = text;
      }
    }
    parts.push(lastUser);
  } else if (Array.isArray(body['messages'])) {
    for (const message of body['messages']) {
      if (!isRecord(message)) continue;
      const text = textOf(message['content']);
      if (message['role'] === 'system' || message['role'] === 'developer') {
        systems.push(text);
        continue;
      }
      parts.push(text);
      turns++;
      if (message['role'] === 'user') lastUser = text;
    }
  }
  const system = systems.join('\n');
  return { lastUser, system, allText: `${system}\n${parts.join('\n')}`, turns, images };
}
