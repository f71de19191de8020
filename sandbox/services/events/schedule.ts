// Schedule expressions of scheduled rules: `rate(N unit)` and AWS's six-field
// `cron(minutes hours day-of-month month day-of-week year)`, evaluated in UTC, with a next-fire
// calculator. Pure functions; the service arms env.scheduler timers from nextFireTime().

export type CronSpec = {
  minutes: boolean[]; // 0..59
  hours: boolean[]; // 0..23
  months: boolean[]; // 1..12
  years: boolean[]; // index = year - MIN_YEAR
  /** null when the field is `?` (days are chosen by day-of-week). */
  dayOfMonth: null | { days: boolean[]; last: boolean; lastWeekday: boolean; nearestWeekday: number[] };
  /** null when the field is `?` (days are chosen by day-of-month). 1 = Sunday … 7 = Saturday. */
  dayOfWeek: null | { days: boolean[]; lastOfMonth: number[]; nth: Array<[weekday: number, k: number]> };
};

export type Schedule = { kind: "rate"; periodMs: number } | { kind: "cron"; spec: CronSpec };

const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
const MINUTE = 60_000;
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const UNIT_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

/** Parses a ScheduleExpression; null when AWS would answer "Parameter ScheduleExpression is not valid." */
export function parseScheduleExpression(expression: string): Schedule | null {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] as string;
    // AWS insists on grammar: rate(1 minute) and rate(5 minutes), never rate(1 minutes) or rate(5 minute).
    const plural = unit.endsWith("s");
    if (!Number.isSafeInteger(n) || n < 1 || plural !== n > 1) return null;
    return { kind: "rate", periodMs: n * (UNIT_MS[plural ? unit.slice(0, -1) : unit] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const spec = parseCron(cron[1] as string);
    return spec ? { kind: "cron", spec } : null;
  }
  return null;
}

class CronError extends Error {}
const bad = (): never => {
  throw new CronError();
};

function number(text: string, names?: string[], nameBase = 1): number {
  if (/^\d+$/.test(text)) return Number(text);
  const i = names?.indexOf(text.toUpperCase()) ?? -1;
  if (i < 0) bad();
  return i + nameBase;
}

/** Parses `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` into flags over [lo, hi]; ranges may wrap (FRI-MON). */
function rangeItem(item: string, lo: number, hi: number, flags: boolean[], names?: string[]): void {
  const [base, stepText, ...rest] = item.split("/");
  if (base === undefined || rest.length) bad();
  const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : bad();
  if (step < 1) bad();
  let from: number;
  let to: number;
  if (base === "*") {
    from = lo;
    to = hi;
  } else {
    const dash = (base as string).split("-");
    if (dash.length > 2 || dash.some((d) => d === "")) bad();
    from = number(dash[0] as string, names);
    // `a/n` means from a to the end of the range, every n.
    to = dash.length === 2 ? number(dash[1] as string, names) : stepText === undefined ? from : hi;
  }
  if (from < lo || from > hi || to < lo || to > hi) bad();
  const span = to >= from ? to - from : hi - lo + 1 - (from - to);
  for (let k = 0; k <= span; k += step) flags[lo + ((from - lo + k) % (hi - lo + 1))] = true;
}

function simpleField(text: string, lo: number, hi: number, names?: string[]): boolean[] {
  const flags: boolean[] = new Array<boolean>(hi + 1).fill(false);
  for (const item of text.split(",")) rangeItem(item, lo, hi, flags, names);
  return flags;
}

function yearField(text: string): boolean[] {
  const flags = simpleField(text, MIN_YEAR, MAX_YEAR);
  return flags.slice(MIN_YEAR);
}

function dayOfMonthField(text: string): CronSpec["dayOfMonth"] {
  if (text === "?") return null;
  const field = { days: new Array<boolean>(32).fill(false), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const item of text.split(",")) {
    if (item === "L") field.last = true;
    else if (item === "LW") field.lastWeekday = true;
    else if (/^\d+W$/.test(item)) {
      const n = Number(item.slice(0, -1));
      if (n < 1 || n > 31) bad();
      field.nearestWeekday.push(n);
    } else rangeItem(item, 1, 31, field.days);
  }
  return field;
}

function dayOfWeekField(text: string): CronSpec["dayOfWeek"] {
  if (text === "?") return null;
  const field = { days: new Array<boolean>(8).fill(false), lastOfMonth: [] as number[], nth: [] as Array<[number, number]> };
  for (const item of text.split(",")) {
    if (item === "L") field.days[7] = true; // alone, L is the last day of the week: Saturday
    else if (/^[0-9A-Za-z]+L$/.test(item)) {
      const d = number(item.slice(0, -1), WEEKDAYS);
      if (d < 1 || d > 7) bad();
      field.lastOfMonth.push(d);
    } else if (item.includes("#")) {
      const [w, k] = item.split("#");
      const d = number(w ?? "", WEEKDAYS);
      if (!/^[1-5]$/.test(k ?? "") || d < 1 || d > 7) bad();
      field.nth.push([d, Number(k)]);
    } else rangeItem(item, 1, 7, field.days, WEEKDAYS);
  }
  return field;
}

export function parseCron(body: string): CronSpec | null {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return null;
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // One of the two day fields must be `?`, and only one: AWS cannot combine them.
  if ((dom === "?") === (dow === "?")) return null;
  try {
    return {
      minutes: simpleField(min, 0, 59),
      hours: simpleField(hour, 0, 23),
      dayOfMonth: dayOfMonthField(dom),
      months: simpleField(month, 1, 12, MONTHS),
      dayOfWeek: dayOfWeekField(dow),
      years: yearField(year),
    };
  } catch (e) {
    if (e instanceof CronError) return null;
    throw e;
  }
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1; // 1 = Sunday

function nearestWeekday(y: number, m: number, n: number): number | null {
  const last = daysInMonth(y, m);
  if (n > last) return null;
  const w = weekday(y, m, n);
  if (w === 7) return n === 1 ? 3 : n - 1; // Saturday: the Friday before, or Monday the 3rd
  if (w === 1) return n === last ? n - 2 : n + 1; // Sunday: the Monday after, or the Friday before
  return n;
}

function dayMatches(spec: CronSpec, y: number, m: number, d: number): boolean {
  const last = daysInMonth(y, m);
  const dom = spec.dayOfMonth;
  if (dom) {
    if (dom.days[d]) return true;
    if (dom.last && d === last) return true;
    if (dom.lastWeekday) {
      let lw = last;
      while (weekday(y, m, lw) === 1 || weekday(y, m, lw) === 7) lw--;
      if (d === lw) return true;
    }
    return dom.nearestWeekday.some((n) => nearestWeekday(y, m, n) === d);
  }
  const dow = spec.dayOfWeek;
  if (!dow) return false;
  const w = weekday(y, m, d);
  if (dow.days[w]) return true;
  if (dow.lastOfMonth.includes(w) && d + 7 > last) return true;
  return dow.nth.some(([wd, k]) => wd === w && Math.ceil(d / 7) === k);
}

/** The first minute strictly after `afterMs` that the cron selects (UTC), or null when none remains before 2200. */
export function nextCronTime(spec: CronSpec, afterMs: number): number | null {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  // Each step moves to the next candidate year, month, day, hour or minute; a few hundred
  // thousand steps cover the whole range even for a day that never comes (31 February).
  for (let guard = 0; guard < 500_000; guard++) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    if (y > MAX_YEAR) return null;
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (y < MIN_YEAR || !spec.years[y - MIN_YEAR]) {
      t = Date.UTC(y + 1, 0, 1);
    } else if (!spec.months[mo]) {
      t = Date.UTC(y, mo, 1);
    } else if (!dayMatches(spec, y, mo, day)) {
      t = Date.UTC(y, mo - 1, day + 1);
    } else if (!spec.hours[d.getUTCHours()]) {
      t = Date.UTC(y, mo - 1, day, d.getUTCHours() + 1);
    } else if (!spec.minutes[d.getUTCMinutes()]) {
      t += MINUTE;
    } else {
      return t;
    }
  }
  return null;
}

/** When a schedule fires next after `afterMs`; rates count whole periods from `anchorMs` (when the schedule began). */
export function nextFireTime(schedule: Schedule, anchorMs: number, afterMs: number): number | null {
  if (schedule.kind === "cron") return nextCronTime(schedule.spec, afterMs);
  if (afterMs < anchorMs) return anchorMs + schedule.periodMs;
  const periods = Math.floor((afterMs - anchorMs) / schedule.periodMs) + 1;
  return anchorMs + periods * schedule.periodMs;
}
