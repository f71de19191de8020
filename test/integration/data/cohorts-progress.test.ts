// The cohort dashboard's data on a real database: matrix states (including "passed earlier,
// failing now"), filters, search, sort, paging, whole-cohort aggregates whatever the filter, the
// funnel, time to complete, the version a polling page compares, the CSV and the drill-down.
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "@/checkers/types";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();
const LAB = "order-system";
const NOW = new Date("2026-11-20T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const DAY = 24 * 60;

/** RFC 4180 as csv-stringify writes it (quoted fields, doubled quotes, CRLF), into objects by header. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\r" && text[i + 1] === "\n") {
      endField();
      records.push(record);
      record = [];
      i++;
    } else field += ch;
  }
  if (field || record.length) {
    endField();
    records.push(record);
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

describe.skipIf(skipReason)(`cohort progress on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let cohorts: typeof import("@/lib/cohorts");
  let owner: { id: string; role: "instructor" };
  let cohortId: string;
  const ids: Record<string, string> = {};

  async function learner(key: string, name: string, joinedMinutesAgo: number) {
    const u = await db.user.create({ data: { email: `${key}@example.com`, name, passwordHash: "x" } });
    await db.membership.create({ data: { cohortId, userId: u.id, joinedAt: minutesAgo(joinedMinutesAgo) } });
    ids[key] = u.id;
    return u.id;
  }

  /** A StepProgress row: first attempt `started` minutes ago, first pass `passed` minutes ago, last check `checked` minutes ago. */
  async function progress(key: string, step: number, status: string, o: { started: number; passed?: number; checked: number; attempts?: number }) {
    await db.stepProgress.create({
      data: {
        userId: ids[key]!, lab: LAB, step, status, attempts: o.attempts ?? 1,
        firstAttemptAt: minutesAgo(o.started), firstPassedAt: o.passed === undefined ? null : minutesAgo(o.passed),
        lastCheckedAt: minutesAgo(o.checked), lastPassedAt: status === "pass" ? minutesAgo(o.checked) : o.passed === undefined ? null : minutesAgo(o.passed),
      },
    });
  }

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    cohorts = await import("@/lib/cohorts");
    const u = await db.user.create({ data: { email: "teacher@example.com", name: "Teacher", passwordHash: "x", role: "instructor" } });
    owner = { id: u.id, role: "instructor" };
    cohortId = (await cohorts.createCohort(owner, { name: "Data cohort (Autumn)" })).id;

    // Ada: every step passed (completed), active an hour ago.
    await learner("ada", "Ada Lovelace", 30 * DAY);
    for (let s = 1; s <= 6; s++) await progress("ada", s, "pass", { started: 10 * DAY, passed: 10 * DAY - s * 3, checked: 60 + s, attempts: s });
    // Bob: passed 1, step 2 passed earlier and fails now (regressed), step 3 errors. Active 2 days ago.
    await learner("bob", "bob builder", 20 * DAY);
    await progress("bob", 1, "pass", { started: 5 * DAY, passed: 5 * DAY - 2, checked: 5 * DAY - 2 });
    await progress("bob", 2, "fail", { started: 4 * DAY, passed: 4 * DAY - 30, checked: 2 * DAY, attempts: 3 });
    await progress("bob", 3, "error", { started: 2 * DAY + 5, checked: 2 * DAY + 1, attempts: 2 });
    // Cy: failing step 1, checked 10 days ago (inactive).
    await learner("cy", "Cy Young", 15 * DAY);
    await progress("cy", 1, "fail", { started: 10 * DAY + 10, checked: 10 * DAY, attempts: 4 });
    // Dee: joined, never checked. Her name would run as a formula in a spreadsheet.
    await learner("dee", "=HYPERLINK(\"http://evil.example\",\"Dee\")", 1 * DAY);
    // Eve: passed steps 1–2, stuck on 3 (not started), active 3 hours ago.
    await learner("eve", "Eve Adams", 2 * DAY);
    await progress("eve", 1, "pass", { started: 2 * DAY, passed: 2 * DAY - 20, checked: 2 * DAY - 20 });
    await progress("eve", 2, "pass", { started: 1 * DAY, passed: 180, checked: 180, attempts: 6 });

    // Someone outside the cohort with progress: never counted.
    const outsider = await db.user.create({ data: { email: "out@example.com", name: "Outsider", passwordHash: "x" } });
    await db.stepProgress.create({ data: { userId: outsider.id, lab: LAB, step: 1, status: "pass", attempts: 1, firstAttemptAt: NOW, firstPassedAt: NOW, lastCheckedAt: NOW } });
  });

  const page = (q: Partial<import("@/lib/cohorts").MatrixQuery> = {}) => cohorts.getCohortProgress(owner, cohortId, q, { now: NOW });
  const names = async (q: Partial<import("@/lib/cohorts").MatrixQuery> = {}) => (await page(q)).rows.map((r) => Object.entries(ids).find(([, id]) => id === r.userId)?.[0]);

  it("shows each learner's cells: passed, failing, error, not started, and passed earlier failing now", async () => {
    const p = await page();
    expect(p.cohort).toMatchObject({ id: cohortId, name: "Data cohort (Autumn)" });
    expect(p.lab).toBe(LAB);
    expect(p.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.steps[0]!.title).toMatch(/\w/);
    const bob = p.rows.find((r) => r.userId === ids.bob)!;
    expect(bob.cells.map((c) => [c.state, c.regressed, c.attempts])).toEqual([
      ["pass", false, 1], ["fail", true, 3], ["error", false, 2], ["not-started", false, 0], ["not-started", false, 0], ["not-started", false, 0],
    ]);
    expect(bob).toMatchObject({ name: "bob builder", email: "bob@example.com", passedSteps: 1, lastActiveAt: minutesAgo(2 * DAY).toISOString() });
    expect(bob.cells[1]).toMatchObject({ lastCheckedAt: minutesAgo(2 * DAY).toISOString(), firstPassedAt: minutesAgo(4 * DAY - 30).toISOString() });
    const dee = p.rows.find((r) => r.userId === ids.dee)!;
    expect(dee).toMatchObject({ passedSteps: 0, lastActiveAt: null, joinedAt: minutesAgo(DAY).toISOString() });
    expect(p.generatedAt).toBe(NOW.toISOString());
  });

  it("sorts by name, email, progress, last activity and joining, both ways", async () => {
    expect(await names()).toEqual(["dee", "ada", "bob", "cy", "eve"]); // "=HYPERLINK" sorts first; "bob" case-insensitively
    expect(await names({ sort: "progress", dir: "desc" })).toEqual(["ada", "eve", "bob", "cy", "dee"]);
    expect(await names({ sort: "last-active", dir: "desc" })).toEqual(["ada", "eve", "bob", "cy", "dee"]);
    expect(await names({ sort: "joined" })).toEqual(["ada", "bob", "cy", "eve", "dee"]);
    expect(await names({ sort: "email", dir: "desc" })).toEqual(["eve", "dee", "cy", "bob", "ada"]);
  });

  it("filters by stuck step, inactivity and search, together", async () => {
    expect(await names({ stuckOn: 1 })).toEqual(["dee", "cy"]);
    expect(await names({ stuckOn: 2 })).toEqual(["bob"]);
    expect(await names({ stuckOn: 3 })).toEqual(["eve"]);
    expect(await names({ stuckOn: 6 })).toEqual([]);
    expect(await names({ inactiveDays: 7 })).toEqual(["dee", "cy"]);
    expect(await names({ inactiveDays: 1 })).toEqual(["dee", "bob", "cy"]);
    expect(await names({ search: "ADA" })).toEqual(["ada", "eve"]); // Eve Adams
    expect(await names({ search: "bob@example" })).toEqual(["bob"]);
    expect(await names({ search: "ada", inactiveDays: 1 })).toEqual([]);
    expect(await names({ search: "%" })).toEqual([]);
  });

  it("pages the filtered rows and keeps aggregates over the whole cohort whatever the filter", async () => {
    const all = await page();
    const p1 = await page({ pageSize: 2, sort: "name" });
    const p3 = await page({ pageSize: 2, page: 3, sort: "name" });
    expect(p1.total).toBe(5);
    expect(p1.rows.map((r) => r.userId)).toEqual([ids.dee, ids.ada]);
    expect(p3.rows.map((r) => r.userId)).toEqual([ids.eve]);
    // Past the end: the last page, and the query says so.
    const past = await page({ pageSize: 2, page: 40 });
    expect(past.query.page).toBe(3);
    expect(past.rows.map((r) => r.userId)).toEqual([ids.eve]);
    const filtered = await page({ search: "bob", stuckOn: 2 });
    expect(filtered.total).toBe(1);
    expect(filtered.aggregates).toEqual(all.aggregates);
    expect(p1.aggregates).toEqual(all.aggregates);
  });

  it("aggregates states, the funnel and the cohort's counts", async () => {
    const { aggregates: a } = await page();
    expect(a).toMatchObject({ learners: 5, completed: 1, activeLastWeek: 3 });
    // The cohort list's summary counts the same way, in SQL.
    expect(await cohorts.getCohortForViewer(owner, cohortId)).toMatchObject({ learners: 5, completed: 1 });
    expect(a.steps.map((s) => [s.passed, s.failing, s.error, s.notStarted, s.regressed])).toEqual([
      [3, 1, 0, 1, 0], // ada bob eve pass; cy fails; dee not started
      [2, 1, 0, 2, 1], // bob regressed
      [1, 0, 1, 3, 0],
      [1, 0, 0, 4, 0],
      [1, 0, 0, 4, 0],
      [1, 0, 0, 4, 0],
    ]);
    // The funnel: who ever passed each step (Bob reached step 2 though he fails it now).
    expect(a.steps.map((s) => s.reached)).toEqual([3, 3, 1, 1, 1, 1]);
  });

  it("measures time to complete from first attempt to first pass, with median, p90 and buckets", async () => {
    const { aggregates: a } = await page();
    const s1 = a.steps[0]!.timeToComplete;
    // Ada 3 min, Bob 2 min, Eve 20 min.
    expect(s1).toMatchObject({ count: 3, medianSeconds: 180, p90Seconds: 1200 });
    expect(s1.histogram.map((b) => b.count)).toEqual([2, 0, 1, 0, 0, 0, 0]);
    const s2 = a.steps[1]!.timeToComplete;
    // Ada 6 min, Bob 30 min, Eve 1 day − 3 h = 21 h.
    expect(s2).toMatchObject({ count: 3, medianSeconds: 1800, p90Seconds: 21 * 3600 });
    expect(s2.histogram.find((b) => b.label === "4 hours to 1 day")?.count).toBe(1);
    expect(a.steps[3]!.timeToComplete).toMatchObject({ count: 1, medianSeconds: 12 * 60 });
  });

  it("changes its version when a check is recorded or the membership changes, and only then", async () => {
    const { recordAttempt } = await import("@/lib/grading/record");
    const v1 = (await page()).version;
    expect((await page({ sort: "email", search: "x" })).version).toBe(v1);
    expect(await cohorts.cohortVersion(owner, cohortId)).toBe(v1);

    await recordAttempt({ userId: ids.cy!, lab: LAB, source: "web", now: new Date(), report: { step: 1, slug: "sns-topic", status: "pass", durationMs: 3, checks: [] } });
    const after = await page();
    expect(after.version).not.toBe(v1);
    expect(await cohorts.cohortVersion(owner, cohortId)).toBe(after.version);
    expect(after.rows.find((r) => r.userId === ids.cy)?.cells[0]).toMatchObject({ state: "pass", attempts: 5 });

    const joiner = await db.user.create({ data: { email: "late@example.com", name: "Late Joiner", passwordHash: "x" } });
    const { joinCode } = await db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    await cohorts.joinCohort(joiner.id, joinCode);
    const joined = await page();
    expect(joined.version).not.toBe(after.version);
    expect(joined.aggregates.learners).toBe(6);
    await cohorts.removeMember(owner, cohortId, joiner.id);
    const left = await page();
    expect(left.version).not.toBe(joined.version);
    expect(await cohorts.cohortVersion(owner, cohortId)).toBe(left.version);

    // A learner renaming themselves shows at once: the page never serves a stale copy.
    await db.user.update({ where: { id: ids.cy! }, data: { name: "Cy Young-Renamed" } });
    const renamed = await page();
    expect(renamed.version).not.toBe(left.version);
    expect(renamed.rows.find((r) => r.userId === ids.cy)?.name).toBe("Cy Young-Renamed");
    await db.user.update({ where: { id: ids.cy! }, data: { name: "Cy Young" } });
  });

  it("exports every learner as CSV with statuses in words, ISO times, seconds, and no formulas", async () => {
    const csv = await cohorts.cohortCsv(owner, cohortId, { now: NOW });
    expect(csv.filename).toBe("data-cohort-autumn-progress-2026-11-20.csv");
    expect(csv.body.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv.body);
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0]!).slice(0, 10)).toEqual([
      "name", "email", "joined at", "passed steps", "last active",
      "step 1 status", "step 1 attempts", "step 1 last checked", "step 1 first passed", "step 1 seconds to complete",
    ]);
    const bob = rows.find((r) => r.email === "bob@example.com")!;
    expect(bob).toMatchObject({
      name: "bob builder", "passed steps": "1", "last active": minutesAgo(2 * DAY).toISOString(),
      "step 1 status": "passed", "step 1 seconds to complete": "120",
      "step 2 status": "passed earlier, failing now", "step 2 attempts": "3", "step 2 seconds to complete": "1800",
      "step 3 status": "error", "step 3 first passed": "", "step 4 status": "not started", "step 4 attempts": "0",
    });
    const dee = rows.find((r) => r.email === "dee@example.com")!;
    expect(dee.name).toBe(`'=HYPERLINK("http://evil.example","Dee")`);
    expect(dee["last active"]).toBe("");
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.export", actorId: owner.id } })).toBe(1);
  });

  it("drills down into one learner with every stored check, message and hint, newest first", async () => {
    const checks: CheckResult[] = [
      { id: "step2.dlq", title: "Dead-letter queue", status: "fail", message: "The queue inventory-updates has no RedrivePolicy.", hint: "Set a RedrivePolicy naming inventory-updates-dlq.", expected: { maxReceiveCount: 5 }, found: null },
      { id: "step2.visibility", title: "Visibility timeout", status: "pass", message: "The queue inventory-updates has a 30 s visibility timeout." },
    ];
    for (let i = 0; i < 3; i++) {
      await db.attempt.create({ data: { userId: ids.bob!, lab: LAB, step: 2, status: i === 2 ? "fail" : "pass", results: JSON.stringify(i === 2 ? checks : []), durationMs: 10 + i, source: i === 1 ? "cli" : "web", createdAt: minutesAgo(100 - i) } });
    }
    // Another learner's attempt is never shown in Bob's drill-down.
    await db.attempt.create({ data: { userId: ids.eve!, lab: LAB, step: 2, status: "pass", results: "[]", durationMs: 1 } });
    const d = await cohorts.getLearnerDrillDown(owner, cohortId, ids.bob!);
    expect(d.cohort).toEqual({ id: cohortId, name: "Data cohort (Autumn)" });
    expect(d.learner).toMatchObject({ id: ids.bob, name: "bob builder", email: "bob@example.com" });
    expect(d.steps).toHaveLength(6);
    const s2 = d.steps[1]!;
    expect(s2.progress).toMatchObject({ step: 2, state: "fail", regressed: true, attempts: 3 });
    expect(s2.attempts.map((a) => [a.status, a.source, a.durationMs])).toEqual([["fail", "web", 12], ["pass", "cli", 11], ["pass", "web", 10]]);
    expect(s2.attempts[0]!.checks).toEqual(checks);
    expect(d.steps[3]!.attempts).toEqual([]);
    expect(await db.auditLog.count({ where: { cohortId, action: "cohort.view-learner", subjectId: ids.bob } })).toBe(1);
  });

  it("caps the drill-down at 50 attempts per step", async () => {
    await db.attempt.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ userId: ids.cy!, lab: LAB, step: 1, status: "fail", results: "[]", durationMs: i, createdAt: minutesAgo(5000 - i) })) });
    const d = await cohorts.getLearnerDrillDown(owner, cohortId, ids.cy!);
    expect(d.steps[0]!.attempts).toHaveLength(50);
  });
});
