import { describe, expect, it } from "vitest";
import { nextCronTime, nextFireTime, parseScheduleExpression, type CronSpec, type Schedule } from "@/sandbox/services/events/schedule";

const utc = (s: string) => Date.parse(s);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function cron(expr: string): CronSpec {
  const s = parseScheduleExpression(`cron(${expr})`);
  if (!s || s.kind !== "cron") throw new Error(`not a valid cron: ${expr}`);
  return s.spec;
}

/** The next n firings after `from`. */
function firings(expr: string, from: string, n: number): string[] {
  const spec = cron(expr);
  const out: string[] = [];
  let t = utc(from);
  for (let i = 0; i < n; i++) {
    const next = nextCronTime(spec, t);
    if (next === null) break;
    out.push(new Date(next).toISOString());
    t = next;
  }
  return out;
}

describe("rate expressions", () => {
  it("accepts AWS's grammar: singular for 1, plural otherwise", () => {
    expect(parseScheduleExpression("rate(1 minute)")).toEqual({ kind: "rate", periodMs: 60_000 });
    expect(parseScheduleExpression("rate(5 minutes)")).toEqual({ kind: "rate", periodMs: 300_000 });
    expect(parseScheduleExpression("rate(2 hours)")).toEqual({ kind: "rate", periodMs: 7_200_000 });
    expect(parseScheduleExpression("rate(1 day)")).toEqual({ kind: "rate", periodMs: 86_400_000 });
  });

  it.each(["rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(-1 minutes)", "rate(5 seconds)", "rate(5)", "rate(five minutes)", "rate 5 minutes", ""])(
    "refuses %s",
    (expr) => expect(parseScheduleExpression(expr)).toBeNull(),
  );

  it("fires every period from the anchor", () => {
    const s = parseScheduleExpression("rate(5 minutes)") as Schedule;
    const anchor = utc("2026-01-01T00:00:00Z");
    expect(iso(nextFireTime(s, anchor, anchor))).toBe("2026-01-01T00:05:00.000Z");
    expect(iso(nextFireTime(s, anchor, utc("2026-01-01T00:05:00Z")))).toBe("2026-01-01T00:10:00.000Z");
    expect(iso(nextFireTime(s, anchor, utc("2026-01-01T00:07:30Z")))).toBe("2026-01-01T00:10:00.000Z");
  });
});

describe("cron expressions: validity", () => {
  it.each([
    "0 12 * * ? *",
    "15 10 ? * 6L 2026-2030",
    "0/15 * * * ? *",
    "0 8 1 * ? *",
    "0 18 ? * MON-FRI *",
    "0/5 8-17 ? * MON-FRI *",
    "0 9 ? * 2#1 *",
    "0 0 L * ? *",
    "0 0 LW * ? *",
    "0 0 15W * ? *",
    "30 2 ? JAN,JUL SUN *",
    "0 0 ? * FRI-MON *",
    "*/10 * * * ? *",
  ])("accepts cron(%s)", (expr) => expect(parseScheduleExpression(`cron(${expr})`)).not.toBeNull());

  it.each([
    "0 12 * * *", // five fields
    "0 12 * * ? * *", // seven fields
    "0 12 * * * *", // both day fields given
    "0 12 ? * ? *", // neither day field given
    "60 12 * * ? *",
    "0 24 * * ? *",
    "0 12 32 * ? *",
    "0 12 * 13 ? *",
    "0 12 ? * 8 *",
    "0 12 ? * 0 *",
    "0 12 * * ? 1969",
    "0 12 * * ? 2200",
    "0 12 * FOO ? *",
    "0/0 * * * ? *",
    "0 12 ? * 2#6 *",
    "a b c d e f",
    "0 12 * * ? *,",
    "0 12-- * * ? *",
  ])("refuses cron(%s)", (expr) => expect(parseScheduleExpression(`cron(${expr})`)).toBeNull());
});

describe("cron expressions: next firing (UTC)", () => {
  it("every day at noon", () => {
    expect(firings("0 12 * * ? *", "2026-01-01T12:00:00Z", 2)).toEqual(["2026-01-02T12:00:00.000Z", "2026-01-03T12:00:00.000Z"]);
    expect(firings("0 12 * * ? *", "2026-01-01T11:59:30Z", 1)).toEqual(["2026-01-01T12:00:00.000Z"]);
  });

  it("every 15 minutes", () => {
    expect(firings("0/15 * * * ? *", "2026-01-01T00:01:00Z", 3)).toEqual([
      "2026-01-01T00:15:00.000Z",
      "2026-01-01T00:30:00.000Z",
      "2026-01-01T00:45:00.000Z",
    ]);
  });

  it("weekdays at 18:00 (1 = Sunday)", () => {
    // 2026-01-02 is a Friday.
    expect(firings("0 18 ? * MON-FRI *", "2026-01-02T18:00:00Z", 2)).toEqual(["2026-01-05T18:00:00.000Z", "2026-01-06T18:00:00.000Z"]);
    expect(firings("0 18 ? * 2-6 *", "2026-01-02T18:00:00Z", 1)).toEqual(["2026-01-05T18:00:00.000Z"]);
  });

  it("the last Friday of the month, only in the years given", () => {
    expect(firings("15 10 ? * 6L 2027", "2026-06-01T00:00:00Z", 2)).toEqual(["2027-01-29T10:15:00.000Z", "2027-02-26T10:15:00.000Z"]);
  });

  it("the first Monday of the month (#)", () => {
    expect(firings("0 9 ? * 2#1 *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-05T09:00:00.000Z",
      "2026-02-02T09:00:00.000Z",
      "2026-03-02T09:00:00.000Z",
    ]);
  });

  it("the last day of the month (L), including February of a leap year", () => {
    expect(firings("0 0 L * ? *", "2028-01-31T00:00:00Z", 2)).toEqual(["2028-02-29T00:00:00.000Z", "2028-03-31T00:00:00.000Z"]);
  });

  it("the last weekday of the month (LW)", () => {
    // 2026-01-31 is a Saturday, so the last weekday is Friday the 30th.
    expect(firings("0 0 LW * ? *", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-30T00:00:00.000Z"]);
  });

  it("the weekday nearest a date (W), never leaving the month", () => {
    // 2026-02-15 is a Sunday -> Monday the 16th; 2026-08-01 is a Saturday and 1W moves forward to Monday the 3rd.
    expect(firings("0 0 15W * ? *", "2026-02-01T00:00:00Z", 1)).toEqual(["2026-02-16T00:00:00.000Z"]);
    expect(firings("0 0 1W 8 ? *", "2026-07-01T00:00:00Z", 1)).toEqual(["2026-08-03T00:00:00.000Z"]);
  });

  it("wrapping day-of-week ranges (FRI-MON)", () => {
    // From Thursday 2026-01-01: Fri 2, Sat 3, Sun 4, Mon 5, then Fri 9.
    expect(firings("0 0 ? * FRI-MON *", "2026-01-01T00:00:00Z", 5).map((s) => s.slice(0, 10))).toEqual([
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-05",
      "2026-01-09",
    ]);
  });

  it("months by name, a day that never comes, and an exhausted year range", () => {
    expect(firings("30 2 ? JAN,JUL SUN *", "2026-01-26T00:00:00Z", 2)).toEqual(["2026-07-05T02:30:00.000Z", "2026-07-12T02:30:00.000Z"]);
    expect(nextCronTime(cron("0 0 30 2 ? *"), utc("2026-01-01T00:00:00Z"))).toBeNull();
    expect(nextCronTime(cron("0 0 * * ? 2025"), utc("2026-01-01T00:00:00Z"))).toBeNull();
  });
});
