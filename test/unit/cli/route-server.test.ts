// test/support/route-server.ts: App Router route modules served over real HTTP, as Next would
// route them (params, precedence, catch-alls, 404/405, HEAD), with bodies and headers intact.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAppRoutes, startRouteServer, type RouteParams, type RouteServer } from "@/test/support/route-server";

type Ctx = { params: Promise<RouteParams> };
const echo = (name: string) => async (request: Request, { params }: Ctx) =>
  Response.json({ route: name, method: request.method, params: await params, body: request.method === "GET" ? null : await request.text(), auth: request.headers.get("authorization"), query: new URL(request.url).search });

let server: RouteServer;

beforeAll(async () => {
  server = await startRouteServer({
    "/api/v1/labs/[lab]/steps/[step]/checks": { POST: echo("checks"), dynamic: "force-dynamic" },
    "/api/v1/openapi.json": { GET: echo("openapi") },
    "/api/v1/[...rest]": { GET: echo("rest"), POST: echo("rest") },
    "/docs/[[...page]]": { GET: echo("docs") },
    "/cookies": { GET: () => new Response("ok", { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"]] }) },
    "/boom": {
      GET: () => {
        throw new Error("handler bug");
      },
    },
  });
});
afterAll(async () => {
  await server?.close();
});

const call = async (p: string, init?: RequestInit) => {
  const r = await fetch(server.url + p, init);
  return { status: r.status, headers: r.headers, body: await r.text() };
};

describe("startRouteServer", () => {
  it("passes decoded params, the body, headers and the query to the handler", async () => {
    const r = await call("/api/v1/labs/order-system/steps/3/checks?x=1", { method: "POST", headers: { authorization: "Bearer t" }, body: '{"probe":true}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ route: "checks", method: "POST", params: { lab: "order-system", step: "3" }, body: '{"probe":true}', auth: "Bearer t", query: "?x=1" });
  });

  it("prefers a static route to a catch-all, which gets the rest as an array; optional catch-alls match nothing too", async () => {
    expect(JSON.parse((await call("/api/v1/openapi.json")).body)).toMatchObject({ route: "openapi" });
    expect(JSON.parse((await call("/api/v1/no/such%20thing")).body)).toMatchObject({ route: "rest", params: { rest: ["no", "such thing"] } });
    expect(JSON.parse((await call("/docs")).body)).toMatchObject({ route: "docs", params: {} });
    expect(JSON.parse((await call("/docs/a/b")).body)).toMatchObject({ route: "docs", params: { page: ["a", "b"] } });
  });

  it("answers 404 off every route, 405 with Allow for a method not exported, HEAD through GET without a body", async () => {
    expect((await call("/nowhere")).status).toBe(404);
    const put = await call("/api/v1/labs/x/steps/1/checks", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
    const head = await call("/api/v1/openapi.json", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("keeps several Set-Cookie headers apart, and turns a throwing handler into a 500", async () => {
    const r = await fetch(server.url + "/cookies");
    expect(r.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect((await call("/boom")).status).toBe(500);
  });
});

describe("loadAppRoutes", () => {
  it("finds the route files under an app folder and keys them by URL pattern, route groups left out", async () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "route-server-app-"));
    const write = (rel: string) => {
      fs.mkdirSync(path.join(app, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(app, rel), `export const GET = () => new Response(${JSON.stringify(rel)});\n`);
    };
    write("api/v1/me/progress/route.mjs");
    write("api/v1/(public)/openapi.json/route.mjs");
    write("api/v1/cohorts/[id]/progress/route.mjs");
    write("page/not-a-route.mjs");
    const routes = await loadAppRoutes(app, "api/v1");
    expect(Object.keys(routes).sort()).toEqual(["/api/v1/(public)/openapi.json", "/api/v1/cohorts/[id]/progress", "/api/v1/me/progress"]);
    const s = await startRouteServer(routes);
    try {
      expect(await (await fetch(`${s.url}/api/v1/cohorts/c1/progress`)).text()).toBe("api/v1/cohorts/[id]/progress/route.mjs");
      expect(await (await fetch(`${s.url}/api/v1/openapi.json`)).text()).toBe("api/v1/(public)/openapi.json/route.mjs");
    } finally {
      await s.close();
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
