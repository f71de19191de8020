// The OpenAPI document: valid OpenAPI 3.1, describing exactly the routes under app/api/v1 and
// exactly the methods each one answers (the others answer 405 with the documented Allow).
import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { documentedResponse } from "./openapi-schemas";

const API_DIR = path.resolve(__dirname, "../../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api/v1 as its OpenAPI path: [lab] → {lab}; the catch-all is not an endpoint. */
function routeFiles(dir = API_DIR): { file: string; apiPath: string }[] {
  const out: { file: string; apiPath: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === "route.ts") {
      const rel = path.relative(API_DIR, dir).split(path.sep);
      if (rel.some((seg) => seg.startsWith("[..."))) continue;
      out.push({ file: full, apiPath: `/${rel.map((seg) => seg.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}` });
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(openApiDocument)) as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every route in app/api/v1, and nothing else", () => {
    const routes = routeFiles().map((r) => r.apiPath).sort();
    expect(routes).toContain("/labs/{lab}/steps/{step}/checks");
    expect(Object.keys(openApiDocument.paths).sort()).toEqual(routes);
  });

  it("documents exactly the methods each route answers; the others answer 405, and OPTIONS lists them", async () => {
    for (const { file, apiPath } of routeFiles()) {
      const mod = (await import(file)) as Record<string, (req: Request, ctx: unknown) => Promise<Response> | Response>;
      const documented = Object.keys(openApiDocument.paths[apiPath] ?? {}).map((m) => m.toUpperCase());
      expect(documented.length, apiPath).toBeGreaterThan(0);
      for (const method of METHODS) {
        const handler = mod[method];
        expect(handler, `${method} ${apiPath} is exported`).toBeTypeOf("function");
        if (documented.includes(method)) continue;
        const res = await handler!(new Request(`http://localhost/api/v1${apiPath}`, { method }), { params: Promise.resolve({}) });
        expect(res.status, `${method} ${apiPath}`).toBe(405);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(res.headers.get("allow")).toBe(documented.join(", "));
      }
      const options = await mod.OPTIONS!(new Request(`http://localhost/api/v1${apiPath}`, { method: "OPTIONS" }), { params: Promise.resolve({}) });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe([...documented, "OPTIONS"].join(", "));
    }
  });

  it("puts every operation but the document itself behind the bearer scheme, with 401 and 429 documented", () => {
    expect(openApiDocument.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(openApiDocument.security).toEqual([{ bearerAuth: [] }]);
    for (const [p, item] of Object.entries(openApiDocument.paths)) {
      for (const op of Object.values(item)) {
        if (p === "/openapi.json") {
          expect(op.security).toEqual([]);
          continue;
        }
        expect(op.security, p).toBeUndefined();
        expect(Object.keys(op.responses), p).toEqual(expect.arrayContaining(["200", "401", "429", "500"]));
      }
    }
    expect(openApiDocument.components.responses.TooManyRequests?.headers).toHaveProperty("Retry-After");
    expect(openApiDocument.components.responses.Unauthorized?.headers).toHaveProperty("WWW-Authenticate");
    const checks = openApiDocument.paths["/labs/{lab}/steps/{step}/checks"]?.post;
    expect(Object.keys(checks?.responses ?? {}).sort()).toEqual(["200", "400", "401", "404", "409", "413", "422", "429", "500", "502"]);
    expect(Object.keys(openApiDocument.paths["/cohorts/{id}/progress"]?.get?.responses ?? {})).toEqual(expect.arrayContaining(["403", "404"]));
  });

  it("describes the check run as lab-check's LabReport plus the attempt: both accept and refuse the same reports", async () => {
    const { labReportSchema } = await import("@/cli/lab-report-schema");
    const run = await documentedResponse("/labs/{lab}/steps/{step}/checks", "post", "200");
    const check = { id: "step1.topic-exists", title: "Topic", status: "pass", message: "It exists." };
    const step = { step: 1, slug: "sns-topic", status: "pass", durationMs: 10, checks: [check] };
    const report = { lab: "order-system", target: "sandbox", region: "us-east-1", startedAt: "2026-11-26T10:00:00.000Z", durationMs: 12, passed: true, steps: [step] };
    const samples: Record<string, unknown>[] = [
      report,
      { ...report, steps: [] },
      { ...report, steps: [{ ...step, status: "nope" }] },
      { ...report, steps: [{ ...step, checks: [{ ...check, hint: "Do this.", expected: 1, found: [2], docs: "/module#sns" }] }] },
      { ...report, steps: [{ ...step, checks: [{ ...check, extra: true }] }] },
      { ...report, steps: [{ ...step, checks: [{ ...check, id: "Topic exists" }] }] },
      { ...report, passed: "yes" },
      { ...report, durationMs: -1 },
      { ...report, extra: 1 },
      Object.fromEntries(Object.entries(report).filter(([k]) => k !== "region")),
    ];
    for (const sample of samples) {
      expect(run.safeParse({ ...sample, attempt: null }).success, JSON.stringify(sample)).toBe(labReportSchema.safeParse(sample).success);
    }
    expect(run.safeParse({ ...report, attempt: { id: "a", status: "pass", createdAt: report.startedAt, source: "cli" } }).success).toBe(true);
    expect(run.safeParse(report).success).toBe(false);
    expect(run.safeParse({ ...report, attempt: { id: "a", status: "pass", createdAt: report.startedAt, source: "email" } }).success).toBe(false);
  });

  it("is served at /api/v1/openapi.json without a token", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const res = await GET(new Request("http://localhost/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
