// GET /api/health (the route handler itself) against a real sandbox: "up" while it answers,
// "down" once its port is dead (as while `npm start` restarts it) with the site itself still
// healthy, and "up" again when it is back. The probe's answer is reused for a second.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox, type TestSandbox } from "@/test/support/sandbox";
import { freePort } from "@/test/support/free-port";


const CACHE_MS = 1000;
const afterCache = () => new Promise((r) => setTimeout(r, CACHE_MS + 100));

describe("GET /api/health", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-health-"));
  let port: number;
  let sandbox: TestSandbox | null = null;
  let GET: () => Promise<Response>;

  const health = async () => {
    const res = await GET();
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  beforeAll(async () => {
    port = await freePort();
    // lib/env reads these once, when the route is first imported.
    Object.assign(process.env, { SANDBOX: "on", SANDBOX_HOST: "127.0.0.1", SANDBOX_PORT: String(port), DATABASE_URL: `file:${path.join(dir, "site.db")}` });
    ({ GET } = await import("@/app/api/health/route"));
    sandbox = await startTestSandbox({ port });
  });

  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("says sandbox up while the sandbox answers, down while its port is dead, up when it is back", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", db: "ok", sandbox: "up" } });

    await sandbox!.close();
    sandbox = null;
    // Reused for a moment: a monitor polling the site does not turn into load on the sandbox.
    expect((await health()).body.sandbox).toBe("up");
    await afterCache();
    const started = Date.now();
    // The site itself is fine without its sandbox (AWS and LocalStack targets still work).
    expect(await health()).toEqual({ status: 200, body: { status: "ok", db: "ok", sandbox: "down" } });
    expect(Date.now() - started).toBeLessThan(1000);

    sandbox = await startTestSandbox({ port });
    await afterCache();
    expect((await health()).body.sandbox).toBe("up");
  });
});
