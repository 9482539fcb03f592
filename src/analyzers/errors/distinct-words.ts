/**
 * Whether two tokens at the same position spell two different events rather than two values of one
 * variable. Drain treats any difference as a variable, so "VM Started" and "VM Paused", or
 * "Transitioned from NEW to INITED" and "... from INITED to SETUP", end in one template; a person
 * (or an LLM) labeling the log keeps them apart. The cue used here is case: words the program itself
 * wrote, such as states (RUNNING, SCREEN_ON), method names (syncPowerState) and sentence words
 * (Started, Terminating), carry capitals, while the runtime values that fill a slot (user names,
 * hosts, queue names, true/false) are mostly lower case, or hold digits, or are masked already.
 *
 * The tokens are compared on the run of letters where they differ, so `WWEN[enable]` and
 * `WWEN[disable]` compare `enable` with `disable`, and `[Thunderbird_A8]` with `[Thunderbird_B8]`
 * compares the whole `Thunderbird_A8` (digits: a value). Quoted tokens are left to vary: a quoted
 * name is the classic slot (`reading 'price'`, `reading 'qty'`).
 */
const RUN_CHAR = /[A-Za-z0-9_]/;
const WORD = /^[A-Za-z_]+$/;
const CAPITAL = /[A-Z]/;
const QUOTED = /^[("'`]/;
const PLACEHOLDER = /<[A-Z]/;

export function namesDistinctEvents(a: string, b: string): boolean {
  if (QUOTED.test(a) || QUOTED.test(b)) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  // Widen the differing part to whole runs of letters, digits and underscores.
  while (start > 0 && RUN_CHAR.test(a[start - 1]!)) start--;
  while (end > 0 && RUN_CHAR.test(a[a.length - end]!)) end--;
  // Two placeholders (<IP>, <VAL>) are two masks of one value, not two words; and a name that
  // goes on from a masked part (<PATH>.PlayerActivity) is the rest of that value.
  if (PLACEHOLDER.test(a.slice(0, start + 1))) return false;
  const left = a.slice(start, a.length - end);
  const right = b.slice(start, b.length - end);
  return WORD.test(left) && WORD.test(right) && CAPITAL.test(left) && CAPITAL.test(right);
}
