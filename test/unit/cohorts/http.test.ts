// The route guard pieces: 401 when signed out, errors as JSON with their status and no stack,
// and the same-origin rule for the re-check POST.
import { describe, expect, it } from "vitest";
import { type ZodError, z } from "zod";
import { errorResponse, isSameOrigin, recheckBodySchema, withViewer } from "@/lib/cohorts/http";
import { DomainError, ForbiddenError, NotFoundError } from "@/lib/errors";

const post = (headers: Record<string, string>) => new Request("http://localhost:3000/api/cohorts/c1/recheck", { method: "POST", headers });

describe("withViewer", () => {
  it("answers 401 JSON when nobody is signed in, without running the handler", async () => {
    let ran = false;
    const res = await withViewer(async () => null, async () => {
      ran = true;
      return new Response("x");
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/sign in/i) });
    expect(ran).toBe(false);
  });

  it("passes the viewer through and maps what the handler throws", async () => {
    const viewer = { id: "u1", role: "instructor" as const };
    expect(await (await withViewer(async () => viewer, async (v) => Response.json(v))).json()).toEqual(viewer);
    const notFound = await withViewer(async () => viewer, async () => {
      throw new NotFoundError("That cohort");
    });
    expect([notFound.status, await notFound.json()]).toEqual([404, { error: "That cohort was not found." }]);
  });
});

describe("errorResponse", () => {
  it("hides the dashboard from learners: a refusal is a 404", async () => {
    const res = errorResponse(new ForbiddenError());
    expect(res.status).toBe(404);
  });

  it("keeps a domain error's status and message, with Retry-After when it has one", async () => {
    const err = Object.assign(new DomainError("Slow down.", 429), { retryAfter: 12 });
    const res = errorResponse(err);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("12");
  });

  it("answers 422 for invalid input and a plain 500 with no details otherwise", async () => {
    const zerr = z.object({ a: z.string() }).safeParse({}).error as ZodError;
    expect(errorResponse(zerr).status).toBe(422);
    const orig = console.error;
    console.error = () => {};
    try {
      const res = errorResponse(new Error("SELECT * FROM secret at /work/main/lib/x.ts:12"));
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toMatch(/SELECT|\.ts|secret/);
    } finally {
      console.error = orig;
    }
  });
});

describe("isSameOrigin", () => {
  it("accepts the page's own origin, a forwarded host and the configured public URL", () => {
    expect(isSameOrigin(post({ origin: "http://localhost:3000", host: "localhost:3000" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "https://grader.example.org", host: "10.0.0.5:3000", "x-forwarded-host": "grader.example.org" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "https://grader.example.org", host: "10.0.0.5:3000" }), "https://grader.example.org/")).toBe(true);
    expect(isSameOrigin(post({ "sec-fetch-site": "same-origin", host: "localhost:3000" }))).toBe(true);
  });

  it("refuses another site, a missing or opaque origin, and a different port", () => {
    expect(isSameOrigin(post({ origin: "https://evil.example", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "http://localhost:3001", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "null", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(post({ host: "localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
  });
});

describe("the re-check body", () => {
  it("accepts nothing or a list of at most 1,000 ids", () => {
    expect(recheckBodySchema.safeParse({}).success).toBe(true);
    expect(recheckBodySchema.safeParse({ userIds: ["ckabc", "u_2"] }).success).toBe(true);
    expect(recheckBodySchema.safeParse({ userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) }).success).toBe(false);
    expect(recheckBodySchema.safeParse({ userIds: ["'; DROP TABLE"] }).success).toBe(false);
    expect(recheckBodySchema.safeParse({ userIds: "all" }).success).toBe(false);
    expect(recheckBodySchema.safeParse({ everyone: true }).success).toBe(false);
  });
});
