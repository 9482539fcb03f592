import type { WindowInput } from './tools/window.ts';

const DAY = 24 * 3600 * 1000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * The window a question names, in the words people use: "since 2026-11-24", "since Tuesday"
 * ("Tuesday's deploy"), "yesterday", "today", "last 3 days", "this week", "this month". Undefined
 * when it names none (the tool's default then applies). Days are UTC days.
 */
export function windowOfQuestion(text: string, now: Date): WindowInput | undefined {
  const t = text.toLowerCase();
  const today = startOfDay(now);
  const between = /\b(\d{4}-\d{2}-\d{2})\s*(?:to|until|–|-|\.\.)\s*(\d{4}-\d{2}-\d{2})\b/.exec(t);
  if (between) return { since: between[1], until: between[2] };
  const iso = /\b(?:since|after|from)\s+(\d{4}-\d{2}-\d{2})\b/.exec(t);
  if (iso) return { since: iso[1] };
  const weekday =
    new RegExp(`\\b(?:since|after)\\s+(?:last\\s+)?(${WEEKDAYS.join('|')})`).exec(t) ??
    new RegExp(`\\b(${WEEKDAYS.join('|')})'s\\b`).exec(t);
  if (weekday) {
    const wanted = WEEKDAYS.indexOf(weekday[1]!);
    const back = (today.getUTCDay() - wanted + 7) % 7 || 7;
    return { since: day(new Date(today.getTime() - back * DAY)) };
  }
  if (/\byesterday\b/.test(t)) return { since: day(new Date(today.getTime() - DAY)), until: day(today) };
  if (/\btoday\b/.test(t)) return { since: day(today) };
  const last = /\b(?:last|past)\s+(\d{1,2})\s+days?\b/.exec(t);
  if (last) return { days: Math.min(90, Math.max(1, Number(last[1]))) };
  if (/\b(?:last|past|this)\s+week\b/.test(t)) return { days: 7 };
  if (/\b(?:last|past|this)\s+month\b/.test(t)) return { days: 30 };
  const bare = /\b(\d{4}-\d{2}-\d{2})\b/.exec(t);
  if (bare) return { since: bare[1] };
  return undefined;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
