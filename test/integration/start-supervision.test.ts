// `npm start`'s supervision with real processes: the real sandbox (scripts/sandbox.ts, started
// as npm start starts it) and, for the site, a stand-in HTTP server child — `next start` needs a
// production build, minutes on this machine; the supervisor treats both children alike. Either
// one SIGKILLed comes back while the other keeps serving; the sandbox's environment holds none of
// the site's secrets; run as SANDBOX_USER it cannot read the site's secrets file or database.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSandboxSettings } from "@/sandbox/settings";
import { loadOrCreateSecrets } from "@/scripts/lib/secrets";
import { lookupUser } from "@/scripts/lib/sandbox-user";
import { protectSiteFiles } from "@/scripts/lib/site-files";
import { startSupervisedSandbox } from "@/scripts/lib/supervise-sandbox";
import { Supervisor } from "@/scripts/lib/supervisor";
import { freePort } from "@/test/support/free-port";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BACKOFF = { initialMs: 200, maxMs: 1000, resetAfterMs: 60_000 };


async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const environOf = (pid: number) => Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));

/** A site folder laid out as npm start lays it out: .data/secrets.json, .data/lab-grader.db (0600), the sandbox's data in .data/sandbox. */
function siteLayout() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-start-"));
  fs.chmodSync(root, 0o755); // as a checkout is: every user may pass through it
  const dataDir = path.join(root, ".data");
  const secrets = loadOrCreateSecrets(dataDir);
  const db = path.join(dataDir, "lab-grader.db");
  fs.writeFileSync(db, "SQLite format 3\0 every account's keys", { mode: 0o644 });
  const databaseUrl = `file:${db}`;
  protectSiteFiles(dataDir, databaseUrl);
  return { root, dataDir, db, databaseUrl, secrets };
}

async function startSandbox(layout: ReturnType<typeof siteLayout>, extra: Record<string, string> = {}) {
  const port = await freePort();
  // npm start's own environment: the site's secrets and the sandbox's settings side by side.
  const parentEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_SECRET: layout.secrets.AUTH_SECRET,
    DATABASE_URL: layout.databaseUrl,
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: layout.secrets.AUTH_SECRET,
    DATA_DIR: layout.dataDir,
    SANDBOX_PORT: String(port),
    SANDBOX_DATA: path.join(layout.dataDir, "sandbox"),
    SANDBOX_ADMIN_TOKEN: layout.secrets.SANDBOX_ADMIN_TOKEN,
    SANDBOX_MODE: "local",
    ...extra,
  };
  const settings = readSandboxSettings(parentEnv);
  const sink = new PassThrough().resume();
  const supervisor = await startSupervisedSandbox({
    settings,
    dataDir: layout.dataDir,
    databaseUrl: layout.databaseUrl,
    parentEnv,
    cwd: ROOT,
    readyTimeoutMs: 20_000, // under the test's own timeout, so a failed start cleans up after itself
    backoff: BACKOFF,
    log: () => undefined,
    stdout: sink,
    stderr: sink,
  });
  return { supervisor, url: `http://127.0.0.1:${port}`, token: layout.secrets.SANDBOX_ADMIN_TOKEN };
}

/**
 * The site's stand-in, shaped like `next dev`/`next start`: a launcher process whose own child
 * serves HTTP, supervised exactly as npm start supervises next.
 */
async function startSite(port: number): Promise<Supervisor> {
  const server = `require("node:http").createServer((q, s) => s.end("site")).listen(${port}, "127.0.0.1")`;
  const launcher = `require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(server)}], { stdio: "inherit" }).on("exit", (c) => process.exit(c ?? 1))`;
  const site = new Supervisor(
    {
      name: "The site",
      spawn: () => spawn(process.execPath, ["-e", launcher], { stdio: "ignore", detached: true }),
      ownGroup: true,
      ready: () => until("the site", () => answers(`http://127.0.0.1:${port}/`)),
    },
    { backoff: BACKOFF, log: () => undefined },
  );
  await site.start();
  return site;
}

describe("npm start supervises the site and the sandbox apart", () => {
  let layout: ReturnType<typeof siteLayout>;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let site: Supervisor;
  let siteUrl: string;

  beforeAll(async () => {
    layout = siteLayout();
    sandbox = await startSandbox(layout);
    const sitePort = await freePort();
    siteUrl = `http://127.0.0.1:${sitePort}/`;
    site = await startSite(sitePort);
  });

  afterAll(async () => {
    await Promise.all([site?.stop(), sandbox?.supervisor.stop()]);
    if (layout) fs.rmSync(layout.root, { recursive: true, force: true });
  });

  it("gives the sandbox an environment without the site's secrets, and its admin token as a file", async () => {
    const env = environOf(sandbox.supervisor.child!.pid!);
    for (const name of ["AUTH_SECRET", "DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "DATA_DIR", "SANDBOX_ADMIN_TOKEN"]) expect(env).not.toHaveProperty(name);
    expect(Object.values(env).join("\n")).not.toContain(layout.secrets.AUTH_SECRET);
    expect(Object.values(env).join("\n")).not.toContain(layout.secrets.SANDBOX_ADMIN_TOKEN);
    expect(env.SANDBOX_DATA).toBe(path.join(layout.dataDir, "sandbox"));
    // The site's one sandbox secret, the admin token, still opens the admin API.
    const res = await fetch(`${sandbox.url}/_sandbox/grader`, { headers: { authorization: `Bearer ${sandbox.token}` } });
    expect(res.status).toBe(200);
    // The site's secret files are its own.
    expect(fs.statSync(path.join(layout.dataDir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(layout.db).mode & 0o777).toBe(0o600);
  });

  it("restarts a SIGKILLed sandbox while the site keeps answering", async () => {
    const sandboxPid = sandbox.supervisor.child!.pid!;
    const sitePid = site.child!.pid!;
    let siteFailures = 0;
    let watching = true;
    const watchSite = (async () => {
      while (watching) {
        if (!(await answers(siteUrl))) siteFailures++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    process.kill(sandboxPid, "SIGKILL");
    await until("the sandbox to go down", async () => !(await answers(`${sandbox.url}/_sandbox/health`)));
    await until("the sandbox to come back", async () => sandbox.supervisor.child?.pid !== sandboxPid && (await answers(`${sandbox.url}/_sandbox/health`)));
    watching = false;
    await watchSite;
    expect(sandbox.supervisor.restarts).toBe(1);
    expect(site.child?.pid).toBe(sitePid);
    expect(site.restarts).toBe(0);
    expect(siteFailures).toBe(0);
    // The restarted sandbox has the same (secret-free) environment and the same token.
    expect(environOf(sandbox.supervisor.child!.pid!)).not.toHaveProperty("AUTH_SECRET");
    expect((await fetch(`${sandbox.url}/_sandbox/grader`, { headers: { authorization: `Bearer ${sandbox.token}` } })).status).toBe(200);
  });

  it("restarts a SIGKILLed site while the sandbox keeps its process", async () => {
    const sandboxPid = sandbox.supervisor.child!.pid!;
    const sitePid = site.child!.pid!;
    // The launcher dies; its server child would keep the port from the restart were it left running.
    process.kill(sitePid, "SIGKILL");
    await until("the site to come back", async () => site.child !== null && site.child.pid !== sitePid && (await answers(siteUrl)));
    await new Promise((r) => setTimeout(r, BACKOFF.maxMs));
    expect(site.restarts).toBe(1);
    expect(sandbox.supervisor.child?.pid).toBe(sandboxPid);
    expect(await answers(`${sandbox.url}/_sandbox/health`)).toBe(true);
  });

  it("stops both on SIGTERM and restarts neither", async () => {
    const children = [site.child!, sandbox.supervisor.child!];
    await Promise.all([site.stop("SIGTERM"), sandbox.supervisor.stop("SIGTERM")]);
    for (const child of children) expect(child.exitCode ?? child.signalCode).not.toBeNull();
    // scripts/sandbox.ts closes cleanly on SIGTERM (exit 0).
    expect(children[1]!.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, BACKOFF.initialMs * 3));
    expect(site.child).toBeNull();
    expect(sandbox.supervisor.child).toBeNull();
  });
});

const asRoot = process.getuid?.() === 0 && lookupUser("nobody") !== null;

describe.skipIf(!asRoot)("a sandbox run as SANDBOX_USER", () => {
  it("runs as that user, in its own data folder, and cannot read the site's secrets file or database", async () => {
    const layout = siteLayout();
    let supervisor: Supervisor | undefined;
    try {
      const started = await startSandbox(layout, { SANDBOX_USER: "nobody" });
      supervisor = started.supervisor;
      const { url, token } = started;
      const pid = supervisor.child!.pid!;
      expect(fs.readFileSync(`/proc/${pid}/status`, "utf8")).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(fs.statSync(path.join(layout.dataDir, "sandbox")).uid).toBe(65534);
      expect((await fetch(`${url}/_sandbox/grader`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      // What a process of that user (the sandbox, or code that escaped into it) gets from the site's files.
      for (const file of [path.join(layout.dataDir, "secrets.json"), layout.db]) {
        const read = spawnSync(process.execPath, ["-e", `require("node:fs").readFileSync(${JSON.stringify(file)})`], { uid: 65534, gid: 65534, encoding: "utf8" });
        expect(read.status).not.toBe(0);
        expect(read.stderr).toContain("EACCES");
      }
      const list = spawnSync(process.execPath, ["-e", `require("node:fs").readdirSync(${JSON.stringify(layout.dataDir)})`], { uid: 65534, gid: 65534, encoding: "utf8" });
      expect(list.stderr).toContain("EACCES");
    } finally {
      await supervisor?.stop();
      fs.rmSync(layout.root, { recursive: true, force: true });
    }
  }, 60_000);
});
