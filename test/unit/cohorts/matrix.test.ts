// The matrix and aggregates as pure functions over plain rows: states, regressions, "stuck on",
// sorting, time to complete and its buckets.
import { describe, expect, it } from "vitest";
import { aggregate, buildLearners, histogram, isStuckOn, matchesQuery, medianAndP90, sortLearners, versionOf, type ProgressInput } from "@/lib/cohorts/matrix";
import { normalizeMatrixQuery } from "@/lib/cohorts/matrix-query";

const T0 = new Date("2026-11-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const steps = [1, 2, 3].map((step) => ({ step, title: `Step ${step}` }));

function row(userId: string, step: number, status: string, o: Partial<ProgressInput> = {}): ProgressInput {
  return { userId, step, status, attempts: 1, firstAttemptAt: at(0), firstPassedAt: status === "pass" ? at(10) : null, lastCheckedAt: at(10), ...o };
}

const members = [
  { userId: "a", name: "Ada", email: "ada@example.com", joinedAt: at(-100) },
  { userId: "b", name: "bob", email: "bob@example.com", joinedAt: at(-50) },
  { userId: "c", name: "Cy", email: "cy@school.edu", joinedAt: at(-10) },
];
const progress = [
  row("a", 1, "pass"), row("a", 2, "pass", { firstPassedAt: at(30), lastCheckedAt: at(30) }), row("a", 3, "pass", { firstPassedAt: at(60 * 5), lastCheckedAt: at(60 * 5) }),
  row("b", 1, "fail", { firstPassedAt: at(5), attempts: 4 }), row("b", 2, "error"),
  row("x", 1, "pass"), // not a member: ignored
];

describe("the matrix", () => {
  const learners = buildLearners(members, progress, 3);
  const [ada, bob, cy] = learners;

  it("gives each learner one cell per step, regressed when it passed earlier and fails now", () => {
    expect(learners).toHaveLength(3);
    expect(ada!.passedSteps).toBe(3);
    expect(ada!.lastActiveAt).toEqual(at(300));
    expect(bob!.cells.map((c) => [c.state, c.regressed])).toEqual([["fail", true], ["error", false], ["not-started", false]]);
    expect(cy!.cells.every((c) => c.state === "not-started" && c.attempts === 0)).toBe(true);
    expect(cy!.lastActiveAt).toBeNull();
  });

  it("says who is stuck on which step", () => {
    expect([1, 2, 3].map((n) => learners.filter((l) => isStuckOn(l, n)).map((l) => l.userId))).toEqual([["b", "c"], [], []]);
  });

  it("filters by search (name or email, any case) and inactivity", () => {
    const now = at(60 * 24 * 3 + 10); // exactly three days after Bob's last check
    const ids = (q: object) => learners.filter((l) => matchesQuery(l, normalizeMatrixQuery(q), now)).map((l) => l.userId);
    expect(ids({ search: "SCHOOL" })).toEqual(["c"]);
    expect(ids({ search: "bo" })).toEqual(["b"]);
    // Ada checked ~2.8 days ago, Bob exactly 3 days ago (counts as inactive for 3), Cy never.
    expect(ids({ inactiveDays: 3 })).toEqual(["b", "c"]);
    expect(ids({ inactiveDays: 2 })).toEqual(["a", "b", "c"]);
    expect(ids({ stuckOn: 1, search: "cy" })).toEqual(["c"]);
  });

  it("sorts by each key, both ways, with stable ties", () => {
    const order = (sort: "name" | "email" | "progress" | "last-active" | "joined", dir: "asc" | "desc" = "asc") => sortLearners([...learners], sort, dir).map((l) => l.userId);
    expect(order("name")).toEqual(["a", "b", "c"]); // case-insensitive: "bob" between Ada and Cy
    expect(order("name", "desc")).toEqual(["c", "b", "a"]);
    expect(order("email")).toEqual(["a", "b", "c"]);
    expect(order("progress", "desc")).toEqual(["a", "b", "c"]);
    expect(order("last-active")).toEqual(["c", "b", "a"]);
    expect(order("joined", "desc")).toEqual(["c", "b", "a"]);
  });

  it("aggregates states, the funnel and time to complete", () => {
    const agg = aggregate(learners, steps, at(60 * 24));
    expect(agg).toMatchObject({ learners: 3, completed: 1, activeLastWeek: 2 });
    expect(agg.steps[0]).toMatchObject({ passed: 1, failing: 1, error: 0, notStarted: 1, regressed: 1, reached: 2 });
    expect(agg.steps[1]).toMatchObject({ passed: 1, failing: 0, error: 1, notStarted: 1, regressed: 0, reached: 1 });
    // Ada: 10 min on step 1; Bob first passed step 1 after 5 min.
    expect(agg.steps[0]!.timeToComplete).toMatchObject({ count: 2, medianSeconds: 450, p90Seconds: 600 });
    expect(agg.steps[2]!.timeToComplete).toMatchObject({ count: 1, medianSeconds: 18_000, p90Seconds: 18_000 });
    expect(agg.steps[2]!.timeToComplete.histogram.find((b) => b.count === 1)?.label).toBe("4 hours to 1 day");
  });

  it("buckets times by human thresholds, the last open-ended", () => {
    const h = histogram([0, 299, 300, 899, 3599, 3600, 86_399, 86_400, 604_800, 10_000_000]);
    expect(h.map((b) => b.count)).toEqual([2, 2, 1, 1, 1, 1, 2]);
    expect(h.at(-1)).toMatchObject({ label: "Over a week", upToSeconds: null });
  });

  it("takes the median and the nearest-rank p90", () => {
    expect(medianAndP90([])).toEqual({ medianSeconds: null, p90Seconds: null });
    expect(medianAndP90([5])).toEqual({ medianSeconds: 5, p90Seconds: 5 });
    expect(medianAndP90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ medianSeconds: 6, p90Seconds: 9 });
  });

  it("changes the version when a member, an attempt, a check time or a member's account changes", () => {
    const base = { members: 3, latestJoin: at(0), attempts: 10, latestCheck: at(5), latestProfileChange: at(-3) };
    const v = versionOf(base);
    expect(versionOf({ ...base })).toBe(v);
    expect(versionOf({ ...base, members: 4 })).not.toBe(v);
    expect(versionOf({ ...base, latestJoin: at(1) })).not.toBe(v);
    expect(versionOf({ ...base, attempts: 11 })).not.toBe(v);
    expect(versionOf({ ...base, latestCheck: at(6) })).not.toBe(v);
    expect(versionOf({ ...base, latestProfileChange: at(7) })).not.toBe(v);
    expect(versionOf({ members: 0, latestJoin: null, attempts: 0, latestCheck: null, latestProfileChange: null })).toBe("0-0-0-0-0");
  });
});
