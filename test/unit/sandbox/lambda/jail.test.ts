// The pieces of the Lambda jail on their own: what a jail is built from (bubblewrap's options, the
// runtime's files), the per-invocation cgroups, the refusal when confinement is required and the
// jail cannot be built, and how a runtime that dies is reported — with real processes.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { invokeInChildProcess, withoutJail, type InvocationRequest } from "@/sandbox/services/lambda/runtime/execute";
import { HOST_TOOLS_ENV, jailOptions, jailSupport } from "@/sandbox/services/lambda/runtime/jail";
import { cgroupParents, InvocationGroups, MAX_TASKS, wrapper } from "@/sandbox/services/lambda/runtime/limits";
import { nodeImage, pythonImage } from "@/sandbox/services/lambda/runtime/runtime-image";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const support = jailSupport();
const dirs: string[] = [];

function codeDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jail-test-code-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function request(dir: string, extra: Partial<InvocationRequest> = {}): InvocationRequest {
  return {
    runtime: "nodejs20.x", handler: "index.handler", codeDir: dir, payload: "{}", timeoutSeconds: 10, memorySize: 256,
    requestId: "11111111-2222-3333-4444-555555555555", environment: { PATH: "/usr/bin:/bin", HOME: "/tmp" }, ...extra,
  };
}

afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("without a jail", () => {
  it("refuses when confinement is required (hosted mode, and the default), naming what is missing", () => {
    const reason = "bubblewrap is not installed (Debian: apt-get install bubblewrap)";
    for (const confinement of ["required", undefined] as const) {
      expect(withoutJail(confinement, reason)).toEqual({
        ok: false,
        error: { errorType: "Sandbox.IsolationUnavailable", errorMessage: `This sandbox runs function code only inside a bubblewrap jail, and the jail cannot be built here: ${reason}.` },
        logs: "",
      });
    }
  });

  it("runs unconfined when confinement is only preferred (local mode)", () => {
    expect(withoutJail("preferred", "bubblewrap runs only on Linux, not on darwin")).toBe("unconfined");
  });
});

describe.skipIf(!support.ok)("the jail's makings", () => {
  it("binds the Node.js runtime, its libraries and the SDK read-only, and nothing of the repository's own", async () => {
    const image = await nodeImage(process.execPath);
    const binds = image.mounts.filter((m) => m.kind === "ro-bind");
    expect(binds.map((m) => m.dest)).toContain(fs.realpathSync(process.execPath));
    expect(binds.some((m) => /\/libc\.so/.test(m.dest))).toBe(true);
    expect(binds.map((m) => m.dest)).toContain("/var/runtime/node_modules/@aws-sdk/client-sqs");
    for (const m of binds) {
      expect(fs.existsSync(m.src)).toBe(true);
      // From the repository, only installed packages (the SDK), never its sources or data.
      if (m.src.startsWith(ROOT + path.sep)) expect(m.src.startsWith(path.join(ROOT, "node_modules") + path.sep)).toBe(true);
    }
  });

  it("binds Python's interpreter, standard library and the libraries its modules load", async () => {
    const image = await pythonImage("/usr/bin/python3");
    const dests = image.mounts.map((m) => m.dest);
    expect(dests).toContain(image.executable);
    expect(dests.some((d) => /\/python3\.\d+$/.test(d) && d.includes("/lib/"))).toBe(true);
    expect(dests.some((d) => /\/libssl\.so/.test(d))).toBe(true);
  });

  it("asks bubblewrap for every namespace, no capabilities, a bounded /tmp and a read-only root", async () => {
    const image = await nodeImage(process.execPath);
    const options = jailOptions({ image, codeDir: "/srv/code/fn", socket: "/run/sb.sock", environment: { A: "1", AWS_SECRET_ACCESS_KEY: "s" } });
    const text = options.join(" ");
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--uid 65534", "--gid 65534", "--cap-drop ALL", "--proc /proc", "--clearenv"]) {
      expect(text).toContain(flag);
    }
    expect(text).toContain(`--size ${512 * 1024 * 1024} --tmpfs /tmp`);
    expect(text).toContain("--ro-bind /srv/code/fn /var/task");
    expect(text).toContain("--ro-bind /run/sb.sock /var/runtime/sandbox.sock");
    expect(text).toContain("--remount-ro / --remount-ro /dev --chdir /var/task");
    expect(text).toContain("--setenv AWS_SECRET_ACCESS_KEY s");
    expect(options).not.toContain("--bind"); // nothing of the host is writable
    expect(options).not.toContain("--share-net");
  });
});

describe.skipIf(cgroupParents().memory === undefined)("an invocation's cgroups", () => {
  it("take MemorySize, the task limit and one CPU, and are gone once removed", async () => {
    const groups = InvocationGroups.create({ memoryMiB: 128, timeoutSeconds: 3 });
    const dirs = groups.procsFiles().map((f) => path.dirname(f));
    const read = (c: string, file: string) => fs.readFileSync(path.join(dirs.find((d) => d.includes(`/${c}/`))!, file), "utf8").trim();
    expect(read("memory", "memory.limit_in_bytes")).toBe(String(128 * 1024 * 1024));
    if (groups.controllers().includes("pids")) expect(read("pids", "pids.max")).toBe(String(MAX_TASKS));
    if (groups.controllers().includes("cpu")) expect(Number(read("cpu", "cpu.cfs_quota_us"))).toBe(Number(read("cpu", "cpu.cfs_period_us")));
    expect(groups.oomKilled()).toBe(false);
    await groups.release();
    for (const dir of dirs) expect(fs.existsSync(dir)).toBe(false);
  });
});

describe.skipIf(!fs.existsSync("/bin/bash") || !fs.existsSync("/proc/self/fd"))("the wrapper before the jail", () => {
  it("closes every descriptor the sandbox would otherwise pass on, above the ones it names", async () => {
    const groups = InvocationGroups.create({ memoryMiB: 128, timeoutSeconds: 3 }, {});
    // "; :" keeps bash from exec'ing ls, so the listing is of bash's own descriptors.
    const { shell, args } = wrapper({ memoryMiB: 128, timeoutSeconds: 3 }, groups, ["/bin/bash", "--norc", "-c", "ls /proc/$$/fd; :"], 4);
    // Seven pipes: 0-4 are the runner's (stdin, stdout, stderr, result, bwrap's options); 5 and 6 stand for inherited ones.
    const child = spawn(shell, args, { stdio: ["pipe", "pipe", "pipe", "pipe", "pipe", "pipe", "pipe"], env: HOST_TOOLS_ENV as NodeJS.ProcessEnv });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    expect(out.trim().split("\n").map(Number).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe.skipIf(!support.ok)("a runtime that dies in the jail", () => {
  it("reports the signal as Lambda does (bwrap passes it on as 128+N)", async () => {
    const dir = codeDir({ "index.mjs": "export const handler = async () => { process.kill(process.pid, 'SIGSEGV'); await new Promise(() => setInterval(() => {}, 1000)); };" });
    const out = await invokeInChildProcess(request(dir), new Set());
    expect(out).toMatchObject({ ok: false, error: { errorType: "Runtime.ExitError", errorMessage: "RequestId: 11111111-2222-3333-4444-555555555555 Error: Runtime exited with error: signal: segmentation fault" } });
  });

  it("reports an exit status", async () => {
    const dir = codeDir({ "index.mjs": "export const handler = async () => process.exit(3);" });
    const out = await invokeInChildProcess(request(dir), new Set());
    expect(out).toMatchObject({ ok: false, error: { errorType: "Runtime.ExitError", errorMessage: "RequestId: 11111111-2222-3333-4444-555555555555 Error: Runtime exited with error: exit status 3" } });
  });

  it("reads no more than Lambda's response limit from the runtime", async () => {
    const dir = codeDir({ "index.mjs": "export const handler = async () => 'x'.repeat(7 * 1024 * 1024);" });
    const out = await invokeInChildProcess(request(dir), new Set());
    expect(out).toMatchObject({ ok: false, error: { errorType: "Function.ResponseSizeTooLarge", errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes)." } });
  });

  it("runs a Python handler with the event and its own variables only", async () => {
    const dir = codeDir({ "app.py": "import os\ndef handler(event, context):\n    return {'event': event, 'env': dict(os.environ), 'cwd': os.getcwd(), 'uid': os.getuid()}\n" });
    const out = await invokeInChildProcess(request(dir, { runtime: "python3.12", handler: "app.handler", payload: '{"n":1}', environment: { GREETING: "hi" } }), new Set());
    expect(out.ok).toBe(true);
    const seen = JSON.parse((out as { payload: string }).payload) as { event: unknown; env: Record<string, string>; cwd: string; uid: number };
    expect(seen.event).toEqual({ n: 1 });
    expect(seen.cwd).toBe("/var/task");
    expect(seen.uid).toBe(65534);
    expect(seen.env.GREETING).toBe("hi");
    expect(seen.env.LAMBDA_TASK_ROOT).toBe("/var/task");
    expect(Object.keys(seen.env).filter((k) => !["GREETING", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "PWD", "LC_CTYPE"].includes(k))).toEqual([]);
  });
});
