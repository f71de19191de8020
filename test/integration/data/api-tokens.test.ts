// Personal API tokens and the /api/v1 plumbing on a real database: tokens stored hashed and
// shown once, the 20-token limit, revocation, bearer authentication, per-token rate limits,
// problem documents, and GET /api/v1/me/progress through the exported route handlers.
import { beforeAll, describe, expect, it } from "vitest";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";
import { documentedResponse } from "../../unit/api/openapi-schemas";

const skipReason = databaseSkipReason();
const BASE = "http://localhost/api/v1";

type Role = "learner" | "instructor" | "admin";
interface TestUser {
  id: string;
  email: string;
  name: string;
}

describe.skipIf(skipReason)(`API tokens and /api/v1 on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let tokens: typeof import("@/lib/api/tokens");
  let forms: typeof import("@/lib/api/token-form");
  let apiRoute: (typeof import("@/lib/api/route"))["apiRoute"];
  let readMyProgress: (typeof import("@/lib/api/me-progress"))["readMyProgress"];
  let progressRoute: typeof import("@/app/api/v1/me/progress/route");
  let restRoute: typeof import("@/app/api/v1/[...rest]/route");
  let users: typeof import("@/lib/users");
  let recordAttempt: (typeof import("@/lib/grading/record"))["recordAttempt"];
  let n = 0;

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    tokens = await import("@/lib/api/tokens");
    forms = await import("@/lib/api/token-form");
    apiRoute = (await import("@/lib/api/route")).apiRoute;
    readMyProgress = (await import("@/lib/api/me-progress")).readMyProgress;
    progressRoute = await import("@/app/api/v1/me/progress/route");
    restRoute = await import("@/app/api/v1/[...rest]/route");
    users = await import("@/lib/users");
    recordAttempt = (await import("@/lib/grading/record")).recordAttempt;
  });

  async function makeUser(role: Role = "learner"): Promise<TestUser> {
    n += 1;
    const u = await users.createUser({ email: `api${n}@example.com`, name: `Api User ${n}`, password: "correct horse battery", role });
    return { id: u.id, email: u.email, name: u.name };
  }

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    new Request(`${BASE}${path}`, { headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const noParams = { params: Promise.resolve({}) };
  const myProgress = (req: Request) => progressRoute.GET(req, noParams);

  async function expectProblem(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "about:blank", status, code });
    expect(typeof body.title).toBe("string");
    expect(body.detail).toMatch(/\.$/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    // Every problem is the document's Problem.
    expect((await documentedResponse("/me/progress", "get", "401", "application/problem+json")).safeParse(body).error).toBeUndefined();
    return body;
  }

  describe("tokens", () => {
    it("makes lgr_ tokens, stores only the SHA-256 and a 12-character prefix, and audits without the token", async () => {
      const u = await makeUser();
      const { token, view } = await tokens.createApiToken(u.id, "  laptop  ");
      expect(token).toMatch(/^lgr_[A-Za-z0-9_-]{43}$/);
      expect(view).toMatchObject({ name: "laptop", prefix: token.slice(0, 12), revokedAt: null, lastUsedAt: null });
      const row = await db.apiToken.findUniqueOrThrow({ where: { id: view.id } });
      const { hashToken } = await import("@/lib/tokens");
      expect(row.tokenHash).toBe(hashToken(token));
      // The database never holds the token: not in the token table, not in the audit log.
      const everything = JSON.stringify([await db.apiToken.findMany(), await db.auditLog.findMany()]);
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(12));
      const entry = await db.auditLog.findFirstOrThrow({ where: { action: "api-token.create", subjectId: u.id } });
      expect(JSON.parse(entry.details)).toEqual({ tokenId: view.id, name: "laptop", prefix: view.prefix });
    });

    it("shows a token once: the form returns it, the list never does", async () => {
      const u = await makeUser();
      const form = new FormData();
      form.set("name", "CI job");
      const created = await forms.createTokenFromForm(u.id, form);
      expect(created).toMatchObject({ ok: true, tokenName: "CI job" });
      expect(created.token).toMatch(/^lgr_/);
      expect(created.message).toMatch(/will not see it again/);
      const list = await tokens.listApiTokens(u.id);
      expect(list).toHaveLength(1);
      expect(Object.keys(list[0]!).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"]);
      expect(JSON.stringify(list)).not.toContain(created.token!.slice(12));
    });

    it("refuses a bad name with a field error and creates nothing", async () => {
      const u = await makeUser();
      for (const name of ["", "   ", "x".repeat(61), "bad\u0007name"]) {
        const form = new FormData();
        form.set("name", name);
        const out = await forms.createTokenFromForm(u.id, form);
        expect(out.ok).toBe(false);
        expect(out.errors?.name?.[0]).toMatch(/\.$/);
        expect(out.token).toBeUndefined();
      }
      expect(await db.apiToken.count({ where: { userId: u.id } })).toBe(0);
    });

    it("allows at most 20 live tokens; a revoked one frees a place and stays listed", async () => {
      const u = await makeUser();
      const made = [];
      for (let i = 0; i < tokens.MAX_LIVE_TOKENS; i++) made.push(await tokens.createApiToken(u.id, `t${i}`));
      await expect(tokens.createApiToken(u.id, "one too many")).rejects.toBeInstanceOf(tokens.TokenLimitError);
      const form = new FormData();
      form.set("name", "one too many");
      expect(await forms.createTokenFromForm(u.id, form)).toMatchObject({ ok: false, message: expect.stringMatching(/20 active tokens/) });
      expect(await db.apiToken.count({ where: { userId: u.id } })).toBe(20);

      const revokeForm = new FormData();
      revokeForm.set("tokenId", made[0]!.view.id);
      expect(await forms.revokeTokenFromForm(u.id, revokeForm)).toMatchObject({ ok: true });
      expect((await tokens.createApiToken(u.id, "replacement")).token).toMatch(/^lgr_/);
      const list = await tokens.listApiTokens(u.id);
      expect(list).toHaveLength(21);
      expect(list.filter((t) => t.revokedAt)).toHaveLength(1);
    });

    it("lets only the owner revoke a token, keeps the row, and audits it", async () => {
      const owner = await makeUser();
      const other = await makeUser();
      const { view } = await tokens.createApiToken(owner.id, "mine");
      const form = new FormData();
      form.set("tokenId", view.id);
      expect(await forms.revokeTokenFromForm(other.id, form)).toMatchObject({ ok: false, message: "That token was not found." });
      expect((await db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).revokedAt).toBeNull();

      const revoked = await tokens.revokeApiToken(owner.id, view.id);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      // Revoking again changes nothing and records nothing more.
      expect((await tokens.revokeApiToken(owner.id, view.id)).revokedAt).toEqual(revoked.revokedAt);
      expect(await db.auditLog.count({ where: { action: "api-token.revoke", subjectId: owner.id } })).toBe(1);
    });
  });

  describe("authentication", () => {
    it("refuses no token, a non-bearer or malformed header, an unknown token and a revoked token with 401", async () => {
      const u = await makeUser();
      const { token, view } = await tokens.createApiToken(u.id, "to revoke");

      let res = await myProgress(get("/me/progress"));
      await expectProblem(res, 401, "missing-token");
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="lab-grader"');

      for (const header of [`Basic ${Buffer.from("a:b").toString("base64")}`, "Bearer", `Bearer ${token} extra`, `Token ${token}`]) {
        res = await myProgress(get("/me/progress", undefined, { authorization: header }));
        await expectProblem(res, 401, "invalid-authorization");
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="lab-grader", error="invalid_token"/);
      }

      const unknown = `lgr_${"A".repeat(43)}`;
      for (const t of [unknown, "not-a-token", token.slice(0, -1)]) {
        res = await myProgress(get("/me/progress", t));
        await expectProblem(res, 401, "invalid-token");
        expect(res.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
      }

      expect((await myProgress(get("/me/progress", token))).status).toBe(200);
      await tokens.revokeApiToken(u.id, view.id);
      await expectProblem(await myProgress(get("/me/progress", token)), 401, "invalid-token");
    });

    it("accepts the scheme in any case and refuses the token of a deleted account", async () => {
      const u = await makeUser();
      const { token } = await tokens.createApiToken(u.id, "t");
      expect((await myProgress(get("/me/progress", undefined, { authorization: `bearer ${token}` }))).status).toBe(200);
      await db.user.delete({ where: { id: u.id } });
      await expectProblem(await myProgress(get("/me/progress", token)), 401, "invalid-token");
    });

    it("writes lastUsedAt on use, at most once a minute per token", async () => {
      const u = await makeUser();
      const { token, view } = await tokens.createApiToken(u.id, "t");
      const t0 = new Date("2026-11-26T10:00:00Z");
      expect(await tokens.resolveApiToken(token, t0)).toMatchObject({ tokenId: view.id, user: { id: u.id, role: "learner" } });
      const lastUsed = async () => (await db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).lastUsedAt;
      expect(await lastUsed()).toEqual(t0);
      await tokens.resolveApiToken(token, new Date(t0.getTime() + 30_000));
      expect(await lastUsed()).toEqual(t0);
      const t2 = new Date(t0.getTime() + 61_000);
      await tokens.resolveApiToken(token, t2);
      expect(await lastUsed()).toEqual(t2);
    });
  });

  describe("GET /api/v1/me/progress", () => {
    it("answers the token owner's own progress from StepProgress, and another user's token sees only theirs", async () => {
      const alice = await makeUser();
      const bob = await makeUser();
      const now = new Date("2026-11-26T09:00:00Z");
      const report = (step: number, status: "pass" | "fail") => ({ step, slug: "s", status, durationMs: 3, checks: [] });
      await recordAttempt({ userId: alice.id, lab: "order-system", source: "web", report: report(1, "pass"), now });
      await recordAttempt({ userId: alice.id, lab: "order-system", source: "web", report: report(2, "pass"), now });
      await recordAttempt({ userId: alice.id, lab: "order-system", source: "api", report: report(2, "fail"), now: new Date(now.getTime() + 1000) });
      const aliceToken = (await tokens.createApiToken(alice.id, "a")).token;
      const bobToken = (await tokens.createApiToken(bob.id, "b")).token;

      const res = await myProgress(get("/me/progress", aliceToken));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as { user: TestUser; labs: { lab: string; passed: number; total: number; steps: Record<string, unknown>[] }[] };
      expect((await documentedResponse("/me/progress", "get", "200")).safeParse(body).error).toBeUndefined();
      expect(body.user).toEqual({ id: alice.id, email: alice.email, name: alice.name });
      expect(body.labs).toHaveLength(1);
      const lab = body.labs[0]!;
      expect(lab).toMatchObject({ lab: "order-system", passed: 1, total: 6 });
      expect(lab.steps[0]).toMatchObject({ step: 1, slug: "sns-topic", state: "pass", regressed: false, attempts: 1, firstPassedAt: now.toISOString() });
      expect(lab.steps[0]!.title).toEqual(expect.any(String));
      expect(lab.steps[1]).toMatchObject({ step: 2, state: "fail", regressed: true, attempts: 2, lastCheckedAt: new Date(now.getTime() + 1000).toISOString() });
      expect(lab.steps[2]).toMatchObject({ step: 3, state: "not-started", attempts: 0, lastCheckedAt: null, firstPassedAt: null });

      const bobs = (await (await myProgress(get("/me/progress", bobToken))).json()) as typeof body;
      expect(bobs.user.id).toBe(bob.id);
      expect(bobs.labs[0]!.steps.every((s) => s.state === "not-started")).toBe(true);
      expect(JSON.stringify(bobs)).not.toContain(alice.id);
    });
  });

  describe("rate limit", () => {
    it("answers 429 with Retry-After once a token spends a small configured limit, and counts per token", async () => {
      const u = await makeUser();
      const a = (await tokens.createApiToken(u.id, "a")).token;
      const b = (await tokens.createApiToken(u.id, "b")).token;
      const now = new Date("2026-11-26T12:00:15Z");
      const limited = apiRoute(readMyProgress, { ratePerMinute: 3, now: () => now });
      for (let i = 0; i < 3; i++) {
        const ok = await limited(get("/me/progress", a), noParams);
        expect(ok.status).toBe(200);
        expect(ok.headers.get("ratelimit-limit")).toBe("3");
        expect(ok.headers.get("ratelimit-remaining")).toBe(String(2 - i));
      }
      const refused = await limited(get("/me/progress", a), noParams);
      const body = await expectProblem(refused, 429, "rate-limited");
      expect(refused.headers.get("retry-after")).toBe("45");
      expect(body.retryAfter).toBe(45);
      expect(body.detail).toMatch(/Try again in 45 seconds\./);
      // Another token of the same user has its own budget.
      expect((await limited(get("/me/progress", b), noParams)).status).toBe(200);
      // The next minute starts afresh.
      const later = apiRoute(readMyProgress, { ratePerMinute: 3, now: () => new Date("2026-11-26T12:01:00Z") });
      expect((await later(get("/me/progress", a), noParams)).status).toBe(200);
    });

    it("allows 60 requests a minute by default through the real route, then 429 with Retry-After", async () => {
      // A fixed window: start well inside a minute so all 61 requests fall in the same one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
      const u = await makeUser();
      const { token } = await tokens.createApiToken(u.id, "busy");
      for (let i = 0; i < 60; i++) {
        const res = await myProgress(get("/me/progress", token));
        expect(res.status, `request ${i + 1}`).toBe(200);
      }
      const refused = await myProgress(get("/me/progress", token));
      await expectProblem(refused, 429, "rate-limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("ratelimit-limit")).toBe("60");
    });
  });

  describe("problems", () => {
    it("answers unknown /api/v1 paths and wrong methods with problem documents", async () => {
      const res = await restRoute.GET(new Request(`${BASE}/nothing/here`));
      const body = await expectProblem(res, 404, "not-found");
      expect(body.instance).toBe("/api/v1/nothing/here");
      const wrong = await progressRoute.DELETE(new Request(`${BASE}/me/progress`, { method: "DELETE" }));
      await expectProblem(wrong, 405, "method-not-allowed");
      expect(wrong.headers.get("allow")).toBe("GET");
    });

    it("turns an unexpected failure into a generic 500 without the error's text", async () => {
      const u = await makeUser();
      const { token } = await tokens.createApiToken(u.id, "t");
      const original = console.error;
      const logged: unknown[][] = [];
      console.error = (...args: unknown[]) => void logged.push(args);
      try {
        const broken = apiRoute(() => Promise.reject(new Error("secret internals at db.ts:12")));
        const body = await expectProblem(await broken(get("/me/progress", token), noParams), 500, "internal-error");
        expect(JSON.stringify(body)).not.toContain("secret internals");
      } finally {
        console.error = original;
      }
      expect(String(logged[0]?.join(" "))).toContain("secret internals");
      expect(String(logged[0]?.join(" "))).not.toContain(token);
    });
  });
});
