import { HOURS_PER_MONTH } from './prices';

/** The values one cron field matches, in `low..high`; undefined when the field cannot be read. */
function field(text: string, low: number, high: number, names: readonly string[] = []): Set<number> | undefined {
  const out = new Set<number>();
  const value = (word: string): number | undefined => {
    const named = names.indexOf(word.toLowerCase());
    if (named >= 0) return named + low;
    return /^\d+$/.test(word) ? Number(word) : undefined;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') {
      from = low;
      to = high;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : high;
    }
    if (from === undefined || to === undefined || from < low || to > high || from > to) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * How many times a five-field cron schedule (`* * * * *`, as Cloud Scheduler takes it) runs in an average month of
 * 730 hours: 43,800 for every minute. Undefined for a schedule it cannot read (`@daily`, six fields, an expression).
 */
export function runsPerMonth(schedule: string): number | undefined {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const minutes = field(parts[0], 0, 59);
  const hours = field(parts[1], 0, 23);
  const days = field(parts[2], 1, 31);
  const months = field(parts[3], 1, 12, MONTHS);
  // Day of week 0-7, both 0 and 7 being Sunday.
  const weekdays = field(parts[4], 0, 7, DAYS);
  if (weekdays?.has(7)) weekdays.add(0);
  if (!minutes || !hours || !days || !months || !weekdays) return undefined;
  const perDay = minutes.size * hours.size;
  // Cron runs on a day when its day of month or its day of week matches, when both are restricted; else both must.
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  let matchingDays = 0;
  // A common (non-leap) year from a Monday: 2029-01-01.
  const start = Date.UTC(2029, 0, 1);
  for (let d = 0; d < 365; d++) {
    const date = new Date(start + d * 86400000);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const dom = days.has(date.getUTCDate());
    const dow = weekdays.has(date.getUTCDay());
    if (domAny || dowAny ? dom && dow : dom || dow) matchingDays++;
  }
  return (perDay * matchingDays * HOURS_PER_MONTH) / (365 * 24);
}
