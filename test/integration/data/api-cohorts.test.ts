// GET /api/v1/cohorts/{id}/progress on a real database: who may read which cohort through a
// token (learner 403, another instructor's cohort 404, own cohort and admin 200), and the query
// string reaching lib/cohorts.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";
import { documentedResponse } from "../../unit/api/openapi-schemas";

const skipReason = databaseSkipReason();

describe.skipIf(skipReason)(`GET /api/v1/cohorts/{id}/progress on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let route: typeof import("@/app/api/v1/cohorts/[id]/progress/route");
  let tokenOf: Record<"learner" | "owner" | "otherInstructor" | "admin", string>;
  let cohortId: string;
  let learnerIds: string[];

  beforeAll(async () => {
    await useTestDatabase();
    const { db } = await import("@/lib/db/client");
    const { createUser } = await import("@/lib/users");
    const { createApiToken } = await import("@/lib/api/tokens");
    const { recordAttempt } = await import("@/lib/grading/record");
    route = await import("@/app/api/v1/cohorts/[id]/progress/route");
    const make = (email: string, role: "learner" | "instructor" | "admin") => createUser({ email, name: email.split("@")[0]!, password: "correct horse battery", role });
    const owner = await make("owner@example.com", "instructor");
    const other = await make("other@example.com", "instructor");
    const admin = await make("root@example.com", "admin");
    const learners = [await make("ada@example.com", "learner"), await make("bob@example.com", "learner"), await make("cy@example.com", "learner")];
    learnerIds = learners.map((l) => l.id);
    cohortId = (await db.cohort.create({ data: { name: "Autumn", joinCode: "ABCDEFGH", ownerId: owner.id } })).id;
    await db.cohort.create({ data: { name: "Other's", joinCode: "HGFEDCBA", ownerId: other.id } });
    for (const l of learners) await db.membership.create({ data: { cohortId, userId: l.id } });
    await recordAttempt({ userId: learners[0]!.id, lab: "order-system", source: "web", report: { step: 1, slug: "sns-topic", status: "pass", durationMs: 1, checks: [] }, now: new Date() });
    tokenOf = {
      learner: (await createApiToken(learners[0]!.id, "t")).token,
      owner: (await createApiToken(owner.id, "t")).token,
      otherInstructor: (await createApiToken(other.id, "t")).token,
      admin: (await createApiToken(admin.id, "t")).token,
    };
  });

  const read = (who: keyof typeof tokenOf, id = cohortId, query = "") =>
    route.GET(new Request(`http://localhost/api/v1/cohorts/${id}/progress${query}`, { headers: { authorization: `Bearer ${tokenOf[who]}` } }), {
      params: Promise.resolve({ id }),
    });

  async function problem(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code });
    expect((await documentedResponse("/cohorts/{id}/progress", "get", String(status), "application/problem+json")).safeParse(body).error).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain("Autumn");
    return body;
  }

  it("refuses a learner's token with 403, even for the learner's own cohort", async () => {
    const body = await problem(await read("learner"), 403, "forbidden");
    expect(body.detail).toMatch(/Only instructors and admins/);
  });

  it("answers 404 to an instructor's token on another instructor's cohort, and to an unknown id", async () => {
    await problem(await read("otherInstructor"), 404, "not-found");
    await problem(await read("owner", "no-such-cohort"), 404, "not-found");
  });

  it("gives the owner's token the cohort's progress page", async () => {
    const res = await read("owner");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = (await res.json()) as { cohort: { id: string; name: string }; total: number; rows: { userId: string; passedSteps: number }[]; aggregates: { learners: number } };
    expect((await documentedResponse("/cohorts/{id}/progress", "get", "200")).safeParse(page).error).toBeUndefined();
    expect(page.cohort).toMatchObject({ id: cohortId, name: "Autumn" });
    expect(page.total).toBe(3);
    expect(page.aggregates.learners).toBe(3);
    expect(page.rows.map((r) => r.userId).sort()).toEqual([...learnerIds].sort());
    expect(page.rows.find((r) => r.userId === learnerIds[0])?.passedSteps).toBe(1);
  });

  it("passes the query string on: search, paging and sort", async () => {
    const page = (await (await read("owner", cohortId, "?search=bob&pageSize=1&sort=email&dir=desc")).json()) as { total: number; rows: { email: string }[]; query: Record<string, unknown> };
    expect(page.total).toBe(1);
    expect(page.rows.map((r) => r.email)).toEqual(["bob@example.com"]);
    expect(page.query).toMatchObject({ search: "bob", pageSize: 1, sort: "email", dir: "desc" });
  });

  it("lets an admin's token read any cohort", async () => {
    const res = await read("admin");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cohort: { id: string } }).cohort.id).toBe(cohortId);
  });
});
