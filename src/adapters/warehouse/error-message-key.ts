/**
 * The key the warehouse groups error messages by before Node mines templates from them (issue 15):
 * far fewer groups than distinct messages, so every line of a window is counted and Node's work
 * grows with the number of keys, not lines. A key must never join two messages that the template
 * miner's mask (analyzers/errors/mask.ts, maskForGrouping) tells apart, or a finding would merge
 * two bugs; it may leave apart messages the mask joins (the miner joins them again). Two steps,
 * both in RE2 syntax, which DuckDB and BigQuery share (RE2 has no look-around, so the mask itself
 * cannot run in SQL):
 *  1. A UUID becomes <UUID>, as the mask's uuid rule does, unless a rule that runs before it could
 *     see it differently: inside a URL or an email address, or past the miner's 2000 characters.
 *  2. Every ASCII digit becomes 0, unless some digit touches a letter, `_`, `.`-then-letter, `<` or
 *     `>` (v2, 250ms, x.2, 1.a, .5, <NUM>5...). The mask's rules see digits only through classes
 *     (\d, [0-9a-f], \w) and run lengths, and take a digit that touches none of those characters
 *     as a number, timestamp, address, size or duration, whatever its value: such messages mask
 *     alike after the fold. Lengths are kept, so IPv4 octets and timestamps read as before.
 * test/adapters/warehouse/error-message-key.test.ts holds maskForGrouping(key) = maskForGrouping(message).
 */

export const UUID_PATTERN = '(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b';
/** A message matching this keeps its digits. */
export const UNFOLDABLE_DIGITS = '[A-Za-z_<>][0-9]|[0-9][A-Za-z_<>]|[A-Za-z_<>]\\.[0-9]|[0-9]\\.[A-Za-z_]|(^|[^0-9])\\.[0-9]';
/**
 * Past the miner's cut (maxMessageLength, 2000 UTF-16 units) the <UUID> step would move the cut;
 * 1000 characters are at most 2000 units whatever the text.
 */
export const UUID_STEP_MAX_LENGTH = 1000;

export interface SqlDialect {
  replaceAll(text: string, pattern: string, replacement: string): string;
  matches(text: string, pattern: string): string;
  contains(text: string, part: string): string;
  length(text: string): string;
  /** A string literal holding `text` exactly. */
  quote(text: string): string;
}

/** Step 1 over `column`: the message with its UUIDs as <UUID> where that is safe. */
export function uuidStepSql(column: string, dialect: SqlDialect): string {
  const { quote } = dialect;
  const skip = [
    dialect.contains(column, quote('://')),
    dialect.contains(column, quote('@')),
    `${dialect.length(column)} > ${UUID_STEP_MAX_LENGTH}`,
  ];
  return `CASE WHEN ${skip.join(' OR ')} THEN ${column} ELSE ${dialect.replaceAll(column, quote(UUID_PATTERN), quote('<UUID>'))} END`;
}

/** Step 2 over `column` (step 1's result): the key. */
export function foldStepSql(column: string, dialect: SqlDialect): string {
  const { quote } = dialect;
  return `CASE WHEN ${dialect.matches(column, quote(UNFOLDABLE_DIGITS))} THEN ${column} ELSE translate(${column}, '123456789', '000000000') END`;
}

/** The same key computed in JavaScript, for tests and for warehouses without SQL. */
export function errorMessageKey(message: string): string {
  const u =
    message.includes('://') || message.includes('@') || [...message].length > UUID_STEP_MAX_LENGTH
      ? message
      : message.replace(new RegExp(UUID_PATTERN.slice(4), 'gi'), '<UUID>');
  return new RegExp(UNFOLDABLE_DIGITS).test(u) ? u : u.replace(/[1-9]/g, '0');
}
