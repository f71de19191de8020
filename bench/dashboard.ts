// `npm run bench:dashboard [-- --learners 1000 --attempts 20 --keep]`: the instructor dashboard
// on a production build with a warm server (issue 6). In a temporary DATA_DIR it seeds a large
// cohort with scripts/seed-large-cohort.ts, builds the site if the build is older than the
// sources (the normal build `npm start` uses), starts `next start` on a free port without the
// sandbox, signs in as the bench instructor over HTTP, warms up, then times 20 requests of the
// cohort page (first page of rows with whole-cohort aggregates), 20 of its polling JSON route, and
// 5 CSV exports. Targets: page under 300 ms (median), CSV under 2 s. Not a test: it prints figures.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { buildIsStale } from "../scripts/lib/build-freshness";
import { freePort } from "../test/support/free-port";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const INSTRUCTOR = { email: "bench-instructor@example.com", password: "bench-instructor-pass" };
const TARGET_PAGE_MS = 300;
const TARGET_CSV_MS = 2000;


function runCapture(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
      process.stderr.write(d);
    });
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

async function waitForHealth(base: string, server: ChildProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not answer /api/health in time");
}

/** next-auth credentials sign-in over HTTP: csrf cookie + token, then the callback sets the session cookie. */
async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email: INSTRUCTOR.email, password: INSTRUCTOR.password, callbackUrl: `${base}/cohorts`, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`signing in failed (${res.status})`);
  return cookie();
}

async function timed(url: string, cookie: string): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status, bytes: body.byteLength };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

async function series(label: string, url: string, cookie: string, n: number, before?: () => void) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    before?.();
    runs.push(await timed(url, cookie));
  }
  const bad = runs.find((r) => r.status !== 200);
  if (bad) return { label, status: bad.status, median: NaN, p90: NaN, bytes: 0 };
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = n % 2 ? ms[(n - 1) / 2]! : (ms[n / 2 - 1]! + ms[n / 2]!) / 2;
  return { label, status: 200, median, p90: quantile(ms, 0.9), bytes: runs[0]!.bytes };
}

/**
 * What a learner's check does to the cohort's version (one more attempt, a later lastCheckedAt),
 * written straight into the bench's own SQLite file.
 */
function recordCheck(databaseUrl: string, cohortId: string): () => void {
  const file = databaseUrl.replace(/^file:/, "");
  const sqlite = new Database(file);
  const update = sqlite.prepare(
    `UPDATE "StepProgress" SET "attempts" = "attempts" + 1, "lastCheckedAt" = ?
     WHERE "lab" = 'order-system' AND "step" = 1 AND "userId" = (SELECT "userId" FROM "Membership" WHERE "cohortId" = ? ORDER BY "userId" LIMIT 1)`,
  );
  let clock = Date.now();
  // Stored as Prisma's SQLite adapter writes DateTime (ISO 8601 with an offset).
  return () => void update.run(new Date((clock += 1000)).toISOString().replace("Z", "+00:00"), cohortId);
}

/** Peak resident memory (VmHWM) of the server and its child processes, in MB. */
function peakRssMb(pid: number): number {
  let peak = 0;
  const visit = (p: number) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
      }
    } catch {
      /* the process ended, or /proc is not there */
    }
  };
  visit(pid);
  return Math.round(peak);
}

async function main() {
  const { values } = parseArgs({ options: { learners: { type: "string", default: "1000" }, attempts: { type: "string", default: "20" }, keep: { type: "boolean" } }, strict: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-bench-"));
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "lab-grader.db")}`,
    DEPLOYMENT_MODE: "local",
    DEMO: "0",
    SANDBOX: "off",
    PORT: String(port),
    NEXTAUTH_URL: base,
    NEXT_TELEMETRY_DISABLED: "1",
    WEBHOOK_POLL_MS: "off",
  };
  let server: ChildProcess | null = null;
  try {
    console.log(`Seeding ${values.learners} learners × ${values.attempts} attempts on each step into ${dataDir}…`);
    const seedOut = await runCapture(process.execPath, ["--import", "tsx", "scripts/seed-large-cohort.ts", "--learners", values.learners!, "--attempts", values.attempts!], env);
    const seed = JSON.parse(/SEED_RESULT (.+)/.exec(seedOut)?.[1] ?? "null") as { cohortId: string; seconds: number; attempts: number } | null;
    if (!seed) throw new Error("the seed script did not report its cohort");
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { AUTH_SECRET: string };
    env.AUTH_SECRET = secrets.AUTH_SECRET;

    if (buildIsStale(ROOT)) {
      console.log("Building the site (the build is older than the sources)…");
      await runCapture("npx", ["tsx", "scripts/build.ts"], { ...env, NODE_ENV: "production" });
    } else console.log("Reusing the production build in .next (newer than every source).");

    server = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port)], {
      cwd: ROOT,
      env: { ...env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stopping it stops any worker it forked, and nothing else.
      detached: true,
    });
    let serverLog = "";
    server.stdout?.on("data", (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on("data", (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(base, server).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${serverLog}`);
    });
    const cookie = await signIn(base);

    const pageUrl = `${base}/cohorts/${seed.cohortId}`;
    const jsonUrl = `${base}/api/cohorts/${seed.cohortId}/progress`;
    const csvUrl = `${base}/api/cohorts/${seed.cohortId}/export.csv`;
    // Warm-up: compiled routes loaded, the lab's content rendered once, SQLite pages cached.
    for (let i = 0; i < 5; i++) {
      await timed(pageUrl, cookie);
      await timed(jsonUrl, cookie);
    }
    await timed(csvUrl, cookie);

    const page = await series("cohort page HTML (/cohorts/<id>)", pageUrl, cookie, 20);
    const json = await series("progress JSON (/api/cohorts/<id>/progress)", jsonUrl, cookie, 20);
    const csv = await series("CSV export (/api/cohorts/<id>/export.csv)", csvUrl, cookie, 5);
    // The same page right after a check was recorded: the server's in-memory copy of the cohort
    // is out of date, so every request reads the members and their progress again (the cold path).
    const touch = recordCheck(env.DATABASE_URL!, seed.cohortId);
    const pageCold = await series("cohort page HTML, a check recorded before each request", pageUrl, cookie, 20, touch);
    const csvCold = await series("CSV export, a check recorded before each request", csvUrl, cookie, 5, touch);
    const rss = server.pid ? peakRssMb(server.pid) : 0;

    const fmt = (n: number) => (Number.isNaN(n) ? "n/a" : `${n.toFixed(0)} ms`);
    console.log(`\nDashboard benchmark: ${values.learners} learners, ${seed.attempts} attempts (seeded in ${seed.seconds} s), load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`);
    for (const s of [page, json, csv, pageCold, csvCold]) {
      const note = s.status !== 200 ? ` (HTTP ${s.status}: not measured)` : ` (${(s.bytes / 1024).toFixed(0)} KB)`;
      console.log(`  ${s.label}: median ${fmt(s.median)}, p90 ${fmt(s.p90)}${note}`);
    }
    console.log(`  server peak RSS: ${rss ? `${rss} MB` : "n/a"}`);
    const pageTarget = page.status === 200 ? page.median : json.median;
    const verdict = (ms: number, target: number) => (ms < target ? "met" : "MISSED");
    console.log(`  targets: page < ${TARGET_PAGE_MS} ms: ${verdict(pageTarget, TARGET_PAGE_MS)} (cold: ${verdict(pageCold.median, TARGET_PAGE_MS)}); CSV < ${TARGET_CSV_MS} ms: ${verdict(csv.median, TARGET_CSV_MS)} (cold: ${verdict(csvCold.median, TARGET_CSV_MS)})`);
  } finally {
    // Only the server this script started.
    if (server?.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        server.kill("SIGTERM");
      }
    }
    if (values.keep) console.log(`Kept ${dataDir}.`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`The benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
