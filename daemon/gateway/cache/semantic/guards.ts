/**
 * Why two texts that an embedding finds nearly identical must still not share an answer. An
 * embedding measures topic, and a question and its negation, or the same question about another
 * number, direction or entity, sit close together (GPTCache 694/651, LiteLLM 12234). A semantic
 * hit is allowed only when none of these differ between the two texts:
 *
 * - numbers (digits, and number words up to twenty, hundred, thousand, million, billion);
 * - negation (not, no, never, n't, without, none, nothing, neither, nor, cannot …);
 * - comparison and direction words (on/off, ascending/descending, before/after, more/less, and
 *   the rest of DIRECTION_WORDS), and words that are another's negated form (safe/unsafe,
 *   valid/invalid, able/disable, secure/insecure);
 * - quoted strings ("…", '…', `…`) and code identifiers (camelCase, snake_case, dotted.names,
 *   calls(), paths, file.ext);
 * - names: a capitalised word (not starting a sentence) or an acronym of one text that the other
 *   does not mention at all (France / Germany; kubernetes and Kubernetes are the same name);
 * - a swapped content word: when each text has a content word the other lacks (reverse / sort a
 *   list), the texts are different requests. A paraphrase may add or drop words (please, can
 *   you, in detail), never trade one for another.
 *
 * Each rule compares sets, so order, case and punctuation do not matter. The rules are meant to
 * be conservative: a missed paraphrase costs one provider call, a wrong hit serves a wrong answer.
 */
export function semanticGuard(a: string, b: string): string | undefined {
  const left = features(a);
  const right = features(b);
  if (!sameSet(left.numbers, right.numbers)) return 'a number differs';
  if (left.negations !== right.negations) return 'a negation differs';
  if (!sameSet(left.directions, right.directions)) return 'a comparison or direction word differs';
  if (negatedForms(left.words, right.words) || negatedForms(right.words, left.words)) return 'a word and its negated form';
  if (!sameSet(left.quoted, right.quoted)) return 'a quoted string differs';
  if (!sameSet(left.identifiers, right.identifiers)) return 'a code identifier differs';
  if (namesMissing(left, right) || namesMissing(right, left)) return 'a name differs';
  const onlyLeft = [...left.content].filter((word) => !right.content.has(word));
  const onlyRight = [...right.content].filter((word) => !left.content.has(word));
  if (onlyLeft.length > 0 && onlyRight.length > 0) return `a content word differs (${onlyLeft[0]} / ${onlyRight[0]})`;
  return undefined;
}

interface Features {
  words: Set<string>;
  numbers: Set<string>;
  negations: number;
  directions: Set<string>;
  quoted: Set<string>;
  identifiers: Set<string>;
  names: Set<string>;
  content: Set<string>;
}

const NUMBER_WORDS = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'].map((word, value) => [word, String(value)]),
);
for (const [word, value] of [['thirty', '30'], ['forty', '40'], ['fifty', '50'], ['hundred', '100'], ['thousand', '1000'], ['million', '1000000'], ['billion', '1000000000'], ['once', '1'], ['twice', '2'], ['half', '0.5'], ['double', '2x'], ['triple', '3x'], ['first', '1st'], ['second', '2nd'], ['third', '3rd']] as const) {
  NUMBER_WORDS.set(word, value);
}

const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'none', 'nothing', 'nobody', 'nowhere', 'neither', 'nor', 'cannot', 'cant', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'wont', 'wouldnt', 'shouldnt', 'couldnt', 'mustnt', 'hasnt', 'havent', 'hadnt', 'avoid', 'except', 'excluding', 'lack', 'lacks']);

/** Words whose opposite is a different request: each appearing in only one text forces a miss. */
const DIRECTION_WORDS = new Set(
  `on off up down out ascending descending asc desc increasing decreasing increase decrease before after above below over under
  more less most least fewer greater smaller larger bigger higher lower high low max min maximum minimum largest smallest biggest
  longest shortest fastest slowest oldest newest earliest latest best worst better worse first last next previous start stop
  begin end open close opened closed enable disable enabled disabled allow deny allowed denied accept reject include exclude
  add remove insert delete create destroy push pull upload download import export encode decode encrypt decrypt compress
  decompress serialize deserialize buy sell borrow lend win lose send receive input output read write client server left right
  north south east west true false yes positive negative plus minus inside outside inner outer forward backward backwards
  upper lowercase uppercase sync async synchronous asynchronous private public against pro con legal illegal possible
  impossible likely unlikely always sometimes often rarely all every each hot cold warm cool wet dry light dark heavy cheap
  expensive early late`
    .split(/\s+/)
    .filter(Boolean),
);

const NEGATING_PREFIXES = ['un', 'in', 'im', 'il', 'ir', 'dis', 'non', 'de', 'anti'];

const STOPWORDS = new Set(
  `a an the and or but if then so of at by as is are was were be been being am do does did done doing have has had having i me my
  we our you your he she it its they them their this that these those there here what which who whom whose when where why how
  can could would should will shall may might must please kindly just also very really quite some any tell give show explain
  describe let lets help want need like know get make use way ways using about would there's what's it's i'm you're thanks
  thank hi hello hey briefly detail detailed details simple simply short shortly quick quickly me us im`
    .split(/\s+/)
    .filter(Boolean),
);

function features(text: string): Features {
  const quoted = new Set<string>();
  const unquoted = text.replace(/"([^"]{1,200})"|'([^'\s][^']{0,199})'|`([^`]{1,200})`|“([^”]{1,200})”/g, (_m, d, s, b, c) => {
    quoted.add(String(d ?? s ?? b ?? c).trim().toLowerCase());
    return ' ';
  });
  const identifiers = new Set<string>();
  for (const match of unquoted.matchAll(/[A-Za-z_$][\w$]*(?:[.:/][\w$]+)+(?:\(\))?|[a-z]+[A-Z][\w$]*|[A-Za-z]+_[\w$]+|[A-Za-z_$][\w$]*\(\)/g)) {
    identifiers.add(match[0]);
  }
  const names = new Set<string>();
  for (const sentence of unquoted.split(/[.!?\n]+/)) {
    const tokens = sentence.trim().split(/\s+/);
    tokens.forEach((token, index) => {
      const word = token.replace(/^[^\p{L}]+|[^\p{L}\d]+$/gu, '');
      if (index > 0 && /^\p{Lu}[\p{Ll}\d]/u.test(word) && !STOPWORDS.has(word.toLowerCase())) names.add(word.toLowerCase());
      if (/^\p{Lu}{2,}\d*$/u.test(word)) names.add(word.toLowerCase());
    });
  }
  const words = new Set<string>();
  const numbers = new Set<string>();
  const directions = new Set<string>();
  const content = new Set<string>();
  let negations = 0;
  const normalized = unquoted.toLowerCase().replace(/n['’]t\b/g, 'nt').replace(/['’]/g, '');
  for (const match of normalized.matchAll(/\d+(?:[.,]\d+)*%?|[\p{L}][\p{L}-]*/gu)) {
    const word = match[0];
    if (/^\d/.test(word)) {
      numbers.add(word.replace(/,/g, ''));
      continue;
    }
    const number = NUMBER_WORDS.get(word);
    if (number !== undefined) numbers.add(number);
    if (NEGATIONS.has(word)) negations++;
    if (DIRECTION_WORDS.has(word)) directions.add(word);
    words.add(word);
    if (!STOPWORDS.has(word) && !NEGATIONS.has(word) && !DIRECTION_WORDS.has(word) && number === undefined) content.add(stem(word));
  }
  // Parity, not count: "not … not" and "never" are both a negation.
  return { words, numbers, negations: negations % 2, directions, quoted, identifiers, names, content };
}

/** True when `a` holds a word that is a negating prefix plus a word of `b` (unsafe / safe). */
function negatedForms(a: Set<string>, b: Set<string>): boolean {
  for (const word of a) {
    for (const prefix of NEGATING_PREFIXES) {
      if (word.length > prefix.length + 2 && word.startsWith(prefix) && b.has(word.slice(prefix.length).replace(/^-/, ''))) return true;
    }
  }
  return false;
}

/** A light stemmer: plural and common verb endings, so "lists" and "list", "sorting" and "sort" agree. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let base = word;
  if (/(ss|sh|ch|x)es$/.test(base)) base = base.slice(0, -2);
  else if (/ies$/.test(base)) base = `${base.slice(0, -3)}y`;
  else if (/[^s]s$/.test(base)) base = base.slice(0, -1);
  else if (/ing$/.test(base) && base.length >= 6) base = base.slice(0, -3).replace(/(.)\1$/, '$1');
  else if (/ed$/.test(base) && base.length >= 5) base = base.slice(0, -2).replace(/(.)\1$/, '$1');
  return base.replace(/e$/, '');
}

/** A name of one text that the other does not mention at all, capitalised or not (France / Germany). */
function namesMissing(a: Features, b: Features): boolean {
  for (const name of a.names) if (!b.words.has(name)) return true;
  return false;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}
