/**
 * Values that only stand in for a real one (placeholders) and secrets a person typed rather than generated.
 * Both return a reason for the message; the value itself is never part of it.
 */

const PLACEHOLDERS: { pattern: RegExp; reason: string }[] = [
  { pattern: /change[-_ ]?(?:me|it|this)/i, reason: 'a "changeme" placeholder' },
  { pattern: /your[-_ ][\w-]*here|^your[-_ ]|[-_ ]here$/i, reason: 'a "your-key-here" placeholder' },
  { pattern: /<[^<>]+>/, reason: 'a <placeholder> in angle brackets' },
  { pattern: /\.\.\.|…/, reason: 'an ellipsis, as in "sk-..."' },
  { pattern: /(?:^|[^A-Za-z0-9])x{3,}(?:[^A-Za-z0-9]|$)/i, reason: 'an "xxx" placeholder' },
  { pattern: /(?:^|[^A-Za-z])(?:todo|tbd|fixme)(?:[^A-Za-z]|$)/i, reason: 'a TODO marker' },
  { pattern: /example/i, reason: 'an example value' },
  { pattern: /placeholder|dummy|redacted|replace[-_ ]?(?:me|with)|insert[-_ ]/i, reason: 'placeholder text' },
];

/** Why the value is a placeholder, or undefined when it looks real. */
export function findPlaceholder(value: string): string | undefined {
  return PLACEHOLDERS.find((p) => p.pattern.test(value))?.reason;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** Words people build secrets from; a secret made only of these (plus digits and symbols) was typed, not generated. */
const WORDS = new Set(
  (
    'password passwd pass pwd secret secrets admin administrator root letmein welcome qwerty asdf zxcv changeme ' +
    'default test testing demo dev development prod production staging stage local key keys api jwt token session ' +
    'auth app my super the master login private public hello world iloveyou monkey dragon sunshine football abc ' +
    'love user guest temp next nextauth insecure unsafe not real random string value some very long strong ' +
    'signing encryption encrypt crypto hash salt character characters chars code db database stripe webhook ' +
    'supabase service role anon sign do is for and this that it'
  ).split(' '),
);

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** True when `letters` splits entirely into known words (word break by dynamic programming). */
function isWords(letters: string, words: Set<string>): boolean {
  if (letters.length < 4) return false;
  const reachable = [true, ...Array<boolean>(letters.length).fill(false)];
  for (let end = 1; end <= letters.length; end++)
    for (let start = Math.max(0, end - 20); start < end - 1 && !reachable[end]; start++)
      if (reachable[start] && words.has(letters.slice(start, end))) reachable[end] = true;
  return reachable[letters.length] === true;
}

function isDictionary(value: string, extraWords: Iterable<string>): boolean {
  const words = new Set(WORDS);
  for (const w of extraWords)
    for (const part of w.toLowerCase().split(/[^a-z]+/)) if (part.length > 1) words.add(part);
  const lower = value.toLowerCase();
  const plain = lower.replace(/[^a-z]/g, '');
  const unleet = [...lower]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^a-z]/g, '');
  return isWords(plain, words) || isWords(unleet, words);
}

function isNeighbour(a: string, b: string): boolean {
  const step = Math.abs(a.charCodeAt(0) - b.charCodeAt(0));
  if (step === 1 && /[a-z0-9]/i.test(a) && /[a-z0-9]/i.test(b)) return true;
  return KEYBOARD_ROWS.some((row) => {
    const i = row.indexOf(a.toLowerCase());
    const j = row.indexOf(b.toLowerCase());
    return i >= 0 && j >= 0 && Math.abs(i - j) === 1;
  });
}

/** Made of runs like abc, 123 or qwerty: the runs of neighbouring characters average three or more. */
function isSequential(value: string): boolean {
  let runs = 1;
  for (let i = 1; i < value.length; i++) if (!isNeighbour(value[i - 1]!, value[i]!)) runs++;
  return value.length / runs >= 3;
}

export const MIN_SECRET_LENGTH = 16;
const MIN_ENTROPY = 3;

/** Why a secret is weak, or undefined. `checkLength` is off when the contract sets its own minLength. */
export function findWeakness(
  value: string,
  options: { checkLength: boolean; extraWords?: Iterable<string> },
): string | undefined {
  if (/^(.)\1*$/s.test(value)) return 'is one character repeated';
  if (isSequential(value)) return 'is a run of consecutive characters (like abc123 or qwerty)';
  if (isDictionary(value, options.extraWords ?? [])) return 'is made of dictionary words (like "password")';
  if (options.checkLength && value.length < MIN_SECRET_LENGTH)
    return `is ${value.length} characters; a secret needs at least ${MIN_SECRET_LENGTH}`;
  const entropy = shannonEntropy(value);
  if (value.length >= 12 && entropy < MIN_ENTROPY)
    return `has low entropy (${entropy.toFixed(1)} bits per character; generated secrets have 4 or more)`;
  return undefined;
}
