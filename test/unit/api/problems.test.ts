// The pieces every /api/v1 answer is made of: problem documents, the body reader's limits, the
// grading service's refusals as HTTP, the bearer header parser, and which client recorded a run.
import { describe, expect, it } from "vitest";
import { bearerToken } from "@/lib/api/authenticate";
import { MAX_BODY_BYTES, readJsonBody } from "@/lib/api/body";
import { attemptSource, gradeProblem } from "@/lib/api/checks";
import { ApiProblem, problemResponse } from "@/lib/api/problem";
import { errorResponse } from "@/lib/api/route";
import { NotFoundError } from "@/lib/errors";
import type { GradeError } from "@/lib/grading/types";

const req = (init: RequestInit & { headers?: Record<string, string> } = {}) => new Request("http://localhost/api/v1/x", { method: "POST", ...init });

describe("problem documents", () => {
  it("are application/problem+json with RFC 9457 members, the code, extensions and headers", async () => {
    const res = problemResponse(429, "rate-limited", "Slow down.", { instance: "/api/v1/me/progress", extensions: { retryAfter: 3 }, headers: { "Retry-After": "3" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.json()).toEqual({ type: "about:blank", title: "Too Many Requests", status: 429, detail: "Slow down.", instance: "/api/v1/me/progress", code: "rate-limited", retryAfter: 3 });
  });

  it("cannot have their standard members overwritten by an extension", async () => {
    const res = problemResponse(404, "not-found", "Gone.", { extensions: { status: 200, code: "ok", type: "x" } });
    expect(await res.json()).toMatchObject({ status: 404, code: "not-found", type: "about:blank" });
  });

  it("come from domain errors with their status and message, and from anything else as a generic 500", async () => {
    const r = errorResponse(new NotFoundError("That cohort"), req());
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: "not-found", detail: "That cohort was not found.", instance: "/api/v1/x" });
  });
});

describe("readJsonBody", () => {
  it("reads JSON, allows no body, and refuses invalid JSON with 400", async () => {
    expect(await readJsonBody(req({ body: '{"probe":true}' }))).toEqual({ probe: true });
    expect(await readJsonBody(req())).toBeUndefined();
    expect(await readJsonBody(req({ body: "  " }))).toBeUndefined();
    await expect(readJsonBody(req({ body: "{" }))).rejects.toMatchObject({ status: 400, code: "invalid-json" });
  });

  it("refuses a body over the limit with 413, declared or streamed", async () => {
    await expect(readJsonBody(req({ body: "x", headers: { "content-length": String(MAX_BODY_BYTES + 1) } }))).rejects.toMatchObject({ status: 413 });
    let pulled = 0;
    // A body that never ends: the reader must stop at the limit instead of buffering it all.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(4096).fill(32));
      },
    });
    await expect(readJsonBody(new Request("http://localhost/x", { method: "POST", body: endless, duplex: "half" } as RequestInit))).rejects.toMatchObject({
      status: 413,
      code: "body-too-large",
    });
    expect(pulled).toBeLessThan(10);
    expect(await readJsonBody(req({ body: JSON.stringify({ s: "x".repeat(MAX_BODY_BYTES - 20) }) }))).toHaveProperty("s");
  });
});

describe("grading refusals as problems", () => {
  const cases: [GradeError, number][] = [
    [{ code: "unknown-step", message: "There is no step 9." }, 404],
    [{ code: "not-connected", message: "Connect an account first.", hint: "Open Connect." }, 409],
    [{ code: "check-running", message: "A check is running." }, 409],
    [{ code: "rate-limited", message: "Many checks.", retryAfter: 17 }, 429],
    [{ code: "connection-failed", message: "Could not reach.", hint: "Test the connection." }, 502],
  ];
  it.each(cases)("%o → %i with the message as detail and the hint as a member", async (error, status) => {
    const p = gradeProblem(error);
    expect(p).toBeInstanceOf(ApiProblem);
    const res = errorResponse(p, req());
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code: error.code, detail: error.message });
    expect(body.hint).toBe(error.hint);
    if (error.code === "rate-limited") {
      expect(res.headers.get("retry-after")).toBe("17");
      expect(body.retryAfter).toBe(17);
    } else {
      expect(res.headers.get("retry-after")).toBeNull();
    }
  });
});

describe("bearerToken and attemptSource", () => {
  it("takes the token of a Bearer header in any case, and refuses anything else", () => {
    expect(bearerToken(req({ headers: { authorization: "Bearer lgr_abc" } }))).toBe("lgr_abc");
    expect(bearerToken(req({ headers: { authorization: "bearer   lgr_abc " } }))).toBe("lgr_abc");
    expect(bearerToken(req())).toMatchObject({ status: 401, code: "missing-token" });
    for (const h of ["Basic abc", "Bearer", "Bearer a b", "Bearerlgr_abc"]) expect(bearerToken(req({ headers: { authorization: h } }))).toMatchObject({ status: 401, code: "invalid-authorization" });
  });

  it("records lab-check --remote as cli and anything else as api", () => {
    expect(attemptSource(req({ headers: { "X-Lab-Grader-Client": "lab-check/0.1.0" } }))).toBe("cli");
    expect(attemptSource(req({ headers: { "X-Lab-Grader-Client": "curl/8" } }))).toBe("api");
    expect(attemptSource(req())).toBe("api");
  });
});
