// lab-check --remote's client side over real HTTP, against test/support/route-server.ts serving
// a FAKE route module that speaks the /api/v1 checks protocol (a LabReport plus `attempt`, or a
// problem document). The real routes, a real database and a real sandbox are exercised in
// test/integration/data/cli-remote.test.ts; this file pins the client's behaviour on answers
// the real platform rarely gives (redirects, timeouts, HTML, 429 with a date, junk).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabReport } from "@/checkers/types";
import { main } from "@/cli/lab-check";
import { checksUrl, runRemote, type RemoteRun } from "@/cli/remote";
import { CLIENT_HEADER_VALUE } from "@/cli/version";
import { startRouteServer, type RouteParams, type RouteServer } from "@/test/support/route-server";

const TOKEN = "lgr_fake-token-for-the-protocol-test-0123456789abcdef";

interface Seen {
  step: string;
  authorization: string | null;
  client: string | null;
  body: unknown;
}

function stepReport(step: number, status: "pass" | "fail"): LabReport {
  return {
    lab: "order-system",
    target: "sandbox",
    region: "us-east-1",
    startedAt: "2026-11-26T21:00:00.000Z",
    durationMs: 10 * step,
    passed: status === "pass",
    steps: [
      {
        step,
        slug: `slug-${step}`,
        status,
        durationMs: 10 * step,
        checks: [{ id: `step${step}.thing`, title: "A thing", status, message: `Step ${step}'s thing is ${status === "pass" ? "there" : "missing"}.`, ...(status === "fail" ? { hint: "Create it." } : {}) }],
      },
    ],
  };
}

const problem = (status: number, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: "about:blank", title: "T", status, detail, ...extra }), { status, headers: { "content-type": "application/problem+json", ...headers } });

/** FAKE: the protocol of POST /api/v1/labs/{lab}/steps/{step}/checks, with behaviours picked by the token. */
function fakeChecksRoute(seen: Seen[], elsewhere: () => string) {
  return {
    async POST(request: Request, { params }: { params: Promise<RouteParams> }) {
      const { step } = (await params) as { step: string };
      const authorization = request.headers.get("authorization");
      seen.push({ step, authorization, client: request.headers.get("x-lab-grader-client"), body: await request.json() });
      const token = authorization?.replace(/^Bearer /, "");
      const n = Number(step);
      if (token?.startsWith("revoked")) return problem(401, "This token is not valid: it was revoked.", { hint: `Create a new one; yours was ${token}.` });
      if (token === "busy") return problem(429, "Too many checks", { retryAfter: 99 }, { "retry-after": "17" });
      if (token === "html") return new Response("<html>Oops</html>", { status: 500, statusText: "Internal Server Error", headers: { "content-type": "text/html" } });
      if (token === "junk") return Response.json({ hello: "world" });
      if (token === "moved") return new Response(null, { status: 307, headers: { location: `${elsewhere()}/api/v1/labs/order-system/steps/${step}/checks` } });
      if (token === "slow") await new Promise((r) => setTimeout(r, 2_000));
      if (n > 6) return problem(404, `There is no step ${n} in lab "order-system".`);
      return Response.json({ ...stepReport(n, n === 2 ? "fail" : "pass"), attempt: { id: `a${n}`, status: n === 2 ? "fail" : "pass", createdAt: "2026-11-26T21:00:01.000Z", source: "cli" }, extra: 1 });
    },
  };
}

let platform: RouteServer;
let receiver: RouteServer;
const seen: Seen[] = [];
const seenElsewhere: Seen[] = [];

beforeAll(async () => {
  receiver = await startRouteServer({ "/api/v1/labs/[lab]/steps/[step]/checks": fakeChecksRoute(seenElsewhere, () => "") });
  platform = await startRouteServer({ "/api/v1/labs/[lab]/steps/[step]/checks": fakeChecksRoute(seen, () => receiver.url) });
});
afterAll(async () => {
  await Promise.all([platform?.close(), receiver?.close()]);
});

const run = (o: Partial<RemoteRun> = {}) => runRemote({ url: platform.url, token: TOKEN, lab: "order-system", steps: [1], probe: false, ...o });

function capture(isTTY = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function cli(args: string[], env: Record<string, string> = {}, tty = false) {
  const stdout = capture(tty);
  const stderr = capture(tty);
  const code = await main({ argv: args, env: env as NodeJS.ProcessEnv, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("runRemote", () => {
  it("posts each step in order with the bearer token and the client header, and merges the answers into one LabReport", async () => {
    seen.length = 0;
    const started: number[] = [];
    const { report, attempts } = await run({ steps: [1, 2, 3], onStepStart: (s) => started.push(s) });
    expect(started).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.step)).toEqual(["1", "2", "3"]);
    expect(seen[0]).toMatchObject({ authorization: `Bearer ${TOKEN}`, client: CLIENT_HEADER_VALUE, body: {} });
    expect(CLIENT_HEADER_VALUE).toMatch(/^lab-check\/\d+\.\d+\.\d+/);
    expect(report).toEqual({
      lab: "order-system",
      target: "sandbox",
      region: "us-east-1",
      startedAt: "2026-11-26T21:00:00.000Z",
      durationMs: 60,
      passed: false,
      steps: [1, 2, 3].map((n) => stepReport(n, n === 2 ? "fail" : "pass").steps[0]),
    });
    expect(attempts.map((a) => [a.id, a.source])).toEqual([["a1", "cli"], ["a2", "cli"], ["a3", "cli"]]);
  });

  it("asks for the probe only on step 6, and only with --probe", async () => {
    seen.length = 0;
    await run({ steps: [5, 6], probe: true });
    expect(seen.map((s) => s.body)).toEqual([{}, { probe: true }]);
  });

  it("builds the URL under a path prefix", () => {
    expect(checksUrl("https://lab.example/grader", "order-system", 3).href).toBe("https://lab.example/grader/api/v1/labs/order-system/steps/3/checks");
  });

  it("shows a problem as one line with its detail and hint, and 429 with Retry-After", async () => {
    await expect(run({ token: "revoked" })).rejects.toThrow(/^http:\/\/127\.0\.0\.1:\d+ refused to check step 1 \(HTTP 401\): This token is not valid: it was revoked\. Create a new one; yours was revoked\.$/);
    await expect(run({ token: "busy" })).rejects.toThrow(/\(HTTP 429\): Too many checks\. Try again in 17 seconds\.$/);
    await expect(run({ steps: [9] })).rejects.toThrow(/\(HTTP 404\): There is no step 9 in lab "order-system"\.$/);
  });

  it("does not follow a redirect, so the token never reaches the other address", async () => {
    seenElsewhere.length = 0;
    const err = await run({ token: "moved" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`redirected the check of step 1 to ${receiver.url}/api/v1/labs/order-system/steps/1/checks`);
    expect((err as Error & { hint?: string }).hint).toBe(`If that is the platform's new address, run again with --remote ${receiver.url}.`);
    expect(seenElsewhere).toEqual([]);
  });

  it("says what answered when it is not the platform: an HTML error, or JSON that is not a report", async () => {
    await expect(run({ token: "html" })).rejects.toThrow(/answered step 1 with HTTP 500 Internal Server Error, not a lab report\./);
    await expect(run({ token: "junk" })).rejects.toThrow(/answered step 1 with something that is not a lab report \(lab: /);
  });

  it("gives up on a step after the timeout, and names an unreachable platform", async () => {
    await expect(run({ token: "slow", timeoutMs: 1_000 })).rejects.toThrow(/did not finish checking step 1 within 1 s\./);
    const closed = await startRouteServer({});
    await closed.close();
    await expect(runRemote({ url: closed.url, token: TOKEN, lab: "order-system", steps: [1], probe: false })).rejects.toThrow(`Could not reach ${closed.url}: the connection was refused (ECONNREFUSED).`);
  });
});

describe("lab-check --remote (main, in-process, against the fake route)", () => {
  it("reads the token from LAB_GRADER_TOKEN and prints the same formats as a local run", async () => {
    const text = await cli(["--remote", platform.url, "--step", "1,3"], { LAB_GRADER_TOKEN: TOKEN });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("  ✓ step1.thing  Step 1's thing is there.");
    expect(text.stdout).toContain("All 2 step(s) pass.");
    expect(text.stdout).toContain(`Checked on ${platform.url} and recorded in your history there (2 attempts).`);
    expect(text.stderr).toBe("");

    const json = await cli(["--remote", platform.url, "--step", "2", "--format", "json"], { LAB_GRADER_TOKEN: TOKEN });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ...stepReport(2, "fail"), durationMs: 20 });
  });

  it("on a terminal: colour in text (not with NO_COLOR, never in junit), and a progress line on stderr that is erased", async () => {
    const text = await cli(["--remote", platform.url, "--step", "1"], { LAB_GRADER_TOKEN: TOKEN }, true);
    expect(text.stdout).toContain("\u001b[32m✓\u001b[0m step1.thing");
    expect(text.stderr).toContain("Step 1: checking on the platform…");
    expect(text.stderr).toContain("Checking: 1/1 step(s) done (step 1: pass)");
    expect(text.stderr.endsWith("\r\u001b[2K")).toBe(true);

    const noColor = await cli(["--remote", platform.url, "--step", "1"], { LAB_GRADER_TOKEN: TOKEN, NO_COLOR: "1" }, true);
    expect(noColor.stdout).not.toContain("\u001b[");
    const junit = await cli(["--remote", platform.url, "--step", "1", "--format", "junit"], { LAB_GRADER_TOKEN: TOKEN, FORCE_COLOR: "1" }, true);
    expect(junit.stdout).toMatch(/^<\?xml /);
    expect(junit.stdout).not.toContain("\u001b");
    expect(junit.stdout).not.toContain("Checked on"); // the closing note is text-only
  });

  it("exits 2 on a refusal, with the message and never the token, even when the server echoes it", async () => {
    const r = await cli(["--remote", platform.url, "--step", "1", "--token", "revoked-Zq9x8"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("(HTTP 401): This token is not valid: it was revoked. Create a new one; yours was [your API token].");
    expect(r.stderr).not.toContain("Zq9x8");
  });

  it("writes the report to --output (folders created), and exits 2 when the file cannot be written", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-check-remote-out-"));
    try {
      const file = path.join(dir, "ci/reports/junit.xml");
      const ok = await cli(["--remote", platform.url, "--step", "1", "--format", "junit", "--output", file], { LAB_GRADER_TOKEN: TOKEN });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe("");
      expect(fs.readFileSync(file, "utf8")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="lab-check order-system" tests="1"/);
      expect(ok.stderr).toBe(`lab-check: wrote the junit report to ${file} (1 of 1 step(s) pass).\n`);

      const blocked = await cli(["--remote", platform.url, "--step", "1", "--output", path.join(file, "inside-a-file.txt")], { LAB_GRADER_TOKEN: TOKEN });
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toContain(`lab-check: Could not write the report to ${path.join(file, "inside-a-file.txt")}:`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses flags that only make sense locally, naming them", async () => {
    const r = await cli(["--remote", platform.url, "--role-arn", "arn:aws:iam::123456789012:role/LabGraderRole", "--region", "us-east-1"], { LAB_GRADER_TOKEN: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--region, --role-arn cannot be used with --remote");
  });
});
