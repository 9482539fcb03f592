/**
 * Masking: replace the variable parts of an error message (ids, numbers, addresses, paths...) with
 * typed placeholders, so that "user 42 not found" and "user 97 not found" read the same before the
 * template miner ever sees them. Masking is idempotent: a masked message masks to itself.
 */

export const PLACEHOLDERS = [
  '<URL>',
  '<EMAIL>',
  '<UUID>',
  '<TS>',
  '<IP>',
  '<PATH>',
  '<STR>',
  '<HEX>',
  '<DUR>',
  '<SIZE>',
  '<NUM>',
  '<VAL>',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_ONLY = /^<(?:URL|EMAIL|UUID|TS|IP|PATH|STR|HEX|DUR|SIZE|NUM|VAL)>$/;

export function isPlaceholder(token: string): boolean {
  return PLACEHOLDER_ONLY.test(token);
}

type Rule = readonly [name: string, pattern: RegExp, replace: string | ((match: string, ...groups: string[]) => string)];

// Units spelled out may be separated from the number by one space ("250 ms"); one-letter units
// must be attached ("3m"), because "3 m" or "2 d" are too often something else.
const SHORT_UNIT = '(?:ns|us|µs|ms|s|m|h|d)';
const LONG_UNIT = '(?:ms|msec|millis(?:econds?)?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)';

/**
 * Order matters: containers first (a URL holds a host, a path and numbers; a UUID holds hex runs),
 * then quoted values (after paths, so a quoted path still reads `<STR>`), then the small atoms, and
 * key=value last so that `count=5` keeps the more telling `count=<NUM>`.
 */
const RULES: readonly Rule[] = [
  // An HTTP request line keeps its method, which names the event (GET and DELETE are two requests),
  // and loses its target (the version then reads HTTP/<NUM>); the quotes go too, so that the quoted
  // rule below leaves the method alone.
  ['http-request', /"(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE) [^\s"]+ (HTTP\/\d(?:\.\d)?)"/g, '$1 <PATH> $2'],
  // Trailing sentence punctuation is not part of the URL.
  ['url', /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]*[^\s"'`<>.,;:!?)\]]/gi, '<URL>'],
  ['email', /\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b/gi, '<EMAIL>'],
  ['uuid', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<UUID>'],
  ['timestamp', /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}\b)?)?(?![\w<:])/g, '<TS>'],
  ['time', /(?<![\w>:.])\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?![\w<:])/g, '<TS>'],
  // IPv6 needs a digit somewhere so that identifiers such as `dead::beef` or `a::b` stay text.
  [
    'ipv6',
    /(?<![\w>:])(?=[0-9a-f:]*\d)(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?![\w<:])/gi,
    '<IP>',
  ],
  ['ipv4', /(?<![\w>.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?!<|\w|\.\d)/g, '<IP>'],
  ['windows-path', /(?<![\w>\\])(?:[a-z]:\\|\\\\[\w.$-]+\\)[^\s:*?"<>|]*/gi, '<PATH>'],
  // An absolute (or ./, ../, ~/) path, or a relative one that ends in a file extension.
  ['unix-path', /(?<![\w>.~\/-])(?:~|\.{1,2})?(?:\/[\w.@%+~-]+)+\/?/g, '<PATH>'],
  ['relative-path', /(?<![\w>.\/-])[\w.-]+(?:\/[\w.-]+)+\.[a-z][a-z0-9]{0,7}\b/gi, '<PATH>'],
  // A quote opens after a separator and closes before one, so the apostrophe in "can't" opens
  // nothing; an apostrophe followed by a letter inside single quotes does not close them ('it's').
  // A quoted lone placeholder keeps its type: '<UUID>' reads <UUID>, not <STR>.
  [
    'quoted',
    /(?<=^|[\s(\[{=:,])(?:"[^"\n]*"|'(?:[^'\n]|'(?=\w))*'|`[^`\n]*`)(?=$|[\s)\]},.:;!?])/g,
    (match) => (isPlaceholder(match.slice(1, -1)) ? match.slice(1, -1) : '<STR>'),
  ],
  ['hex-literal', /\b0x[0-9a-f]+\b/gi, '<HEX>'],
  // Eight or more hex digits with at least one letter; all-digit runs are numbers, not ids.
  ['hex-id', /\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<HEX>'],
  ['duration', new RegExp(`(?<![\\w>.])(?:(?:\\d+(?:\\.\\d+)?${SHORT_UNIT})+|\\d+(?:\\.\\d+)?\\s?${LONG_UNIT})(?![\\w<])`, 'g'), '<DUR>'],
  // A size restated in another unit in parentheses ("18846 bytes (18.4 KB)") is one size: the
  // restatement comes and goes with the magnitude and must not change the token count.
  ['size', /(?<![\w>.])\d+(?:\.\d+)?\s?(?:[kKMGTP]i?B|B|bytes?)(?:\s\(\d+(?:\.\d+)?\s?(?:[kKMGTP]i?B|B|bytes?)\))?(?!<|\w)/g, '<SIZE>'],
  // A number standing alone: not the 2 in "v2", "http2" or "v1.2.3" (those name things).
  ['number', /(?<![\w>.])\d+(?:\.\d+)*(?!<|\w|\.\w)/g, '<NUM>'],
  // A list of values written without spaces (10.0.0.1,10.0.0.2) is one value: its length varies. Before
  // key=value, which would otherwise take the collapsed list for a value of its own on a second pass.
  ['list', /<([A-Z]+)>(?:,<\1>)+/g, '<$1>'],
  ['key-value', /\b([A-Za-z_][\w.-]*)=([^\s,;&)\]}]+)/g, (match, key = '', value = '') => (isPlaceholder(value) ? match : `${key}=<VAL>`)],
];

// A quoted identifier ('price', "userId") is often the one word that says what broke. For grouping it
// stays as written: when it varies within a group the miner turns it into <*> anyway, and when it
// never varies the template keeps it (`reading 'price'`, not `reading <STR>`).
const QUOTED_IDENTIFIER = /^[A-Za-z_$][\w$.:-]{0,63}$/;
const GROUPING_RULES: readonly Rule[] = RULES.map(([name, pattern, replace]) =>
  name === 'quoted'
    ? [
        name,
        pattern,
        (match: string) => {
          const inner = match.slice(1, -1);
          return isPlaceholder(inner) ? inner : QUOTED_IDENTIFIER.test(inner) ? match : '<STR>';
        },
      ]
    : [name, pattern, replace],
);

// What a message must contain for each rule to have anything to match. Masking only removes text
// (placeholders hold no digits, quotes, slashes...), so checking the text as masked so far skips
// most of the regex passes on a typical message and changes no result.
const DIGIT = /\d/;
const QUOTE = /["'`]/;
const GATES: Record<string, (text: string) => boolean> = {
  'http-request': (text) => text.includes('"'),
  url: (text) => text.includes('://'),
  email: (text) => text.includes('@'),
  uuid: (text) => text.includes('-'),
  timestamp: (text) => text.includes('-') && DIGIT.test(text),
  time: (text) => text.includes(':') && DIGIT.test(text),
  ipv6: (text) => text.includes(':') && DIGIT.test(text),
  ipv4: (text) => text.includes('.') && DIGIT.test(text),
  'windows-path': (text) => text.includes('\\'),
  'unix-path': (text) => text.includes('/'),
  'relative-path': (text) => text.includes('/'),
  quoted: (text) => QUOTE.test(text),
  'hex-literal': (text) => text.includes('0x') || text.includes('0X'),
  duration: (text) => DIGIT.test(text),
  size: (text) => DIGIT.test(text),
  number: (text) => DIGIT.test(text),
  list: (text) => text.includes(',<'),
  'key-value': (text) => text.includes('='),
};

type Pass = readonly [pattern: RegExp, replace: (match: string, ...groups: string[]) => string, gate: (text: string) => boolean];
const always = () => true;
const passes = (rules: readonly Rule[]): readonly Pass[] =>
  rules.map(([name, pattern, replace]) => [pattern, replace as Pass[1], GATES[name] ?? always]);
const MESSAGE_PASSES = passes(RULES);
const GROUPING_PASSES = passes(GROUPING_RULES);

function applyRules(message: string, rules: readonly Pass[]): string {
  let masked = message;
  for (const [pattern, replace, gate] of rules) {
    if (gate(masked)) masked = masked.replace(pattern, replace);
  }
  return masked;
}

/** The mask the template miner uses: maskMessage, except that quoted identifiers stay as written. */
export function maskForGrouping(message: string): string {
  return applyRules(message, GROUPING_PASSES);
}

export function maskMessage(message: string): string {
  return applyRules(message, MESSAGE_PASSES);
}

/** Whitespace tokens of the masked message: what the miner compares position by position. */
export function maskedTokens(message: string): string[] {
  const masked = maskMessage(message).trim();
  return masked === '' ? [] : masked.split(/\s+/);
}
