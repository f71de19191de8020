// Learner code tried as a hostile learner would (issue 14): real functions, Node.js and Python,
// created and invoked with the AWS SDK on a real sandbox, try to read other processes'
// environments, the data directory, the site's secrets, the repository and another account's
// code; to reach the site, the admin API, other loopback ports and the outside world; to
// fork-bomb, allocate past MemorySize, fill /tmp and leave a setsid'd child behind. Every
// attempt fails and nothing of the function is left running on the host. A well-behaved function
// still reaches the sandbox's SQS from inside its jail, with the SDK.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { jailSupport } from "@/sandbox/services/lambda/runtime/jail";
import { cgroupParents, MAX_TASKS, TMP_MIB } from "@/sandbox/services/lambda/runtime/limits";
import { startTestSandbox } from "@/test/support/sandbox";
import type { AccountKeys, TestSandbox } from "@/test/support/sandbox";
import { ROLE, zipOf } from "@/test/unit/sandbox/lambda/helpers";

vi.setConfig({ testTimeout: 60_000 });

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const support = jailSupport();
if (!support.ok) console.warn(`lambda-escape: the escape suite is skipped: ${support.reason}.`);

const NODE_PROBE = `
import fs from "node:fs";
import net from "node:net";
import { spawn } from "node:child_process";

const attempt = (fn) => { try { return { ok: true, value: fn() }; } catch (err) { return { ok: false, code: err.code ?? String(err) }; } };
const read = (p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p) : fs.readFileSync(p, "latin1").slice(0, 200));
const connect = (host, port) => new Promise((resolve) => {
  const socket = net.connect({ host, port });
  const timer = setTimeout(() => { socket.destroy(); resolve({ ok: false, code: "TIMEOUT" }); }, 2000);
  socket.on("connect", () => { clearTimeout(timer); socket.destroy(); resolve({ ok: true }); });
  socket.on("error", (err) => { clearTimeout(timer); resolve({ ok: false, code: err.code }); });
});
const child = (marker, detached) => spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", marker], { detached, stdio: "ignore" });

export const handler = async (e) => {
  switch (e.probe) {
    case "environ": {
      const pids = fs.readdirSync("/proc").filter((p) => /^\\d+$/.test(p));
      return { pids, environs: [...pids, String(e.hostPid)].map((p) => attempt(() => fs.readFileSync("/proc/" + p + "/environ", "latin1"))) };
    }
    case "files":
      return e.paths.map((p) => attempt(() => read(p)));
    case "write":
      // Opens for writing without ever changing a byte: an existing file read-write (no
      // truncation), a missing one created exclusively — harmless should the jail be missing.
      return e.paths.map((p) => attempt(() => fs.closeSync(fs.openSync(p, fs.existsSync(p) ? "r+" : "wx"))));
    case "connect":
      return Promise.all(e.targets.map(([host, port]) => connect(host, port)));
    case "admin": {
      const base = process.env.AWS_ENDPOINT_URL;
      const accounts = await fetch(base + "/_sandbox/accounts", { method: "POST", headers: { authorization: "Bearer " + e.token } });
      const health = await fetch(base + "/_sandbox/health");
      return [accounts.status, health.status];
    }
    case "memory": {
      // Off the V8 heap: only the memory group bounds it. Bounded here too (2 GiB), should the jail be missing.
      const keep = [];
      for (let i = 0; i < 256; i++) keep.push(Buffer.alloc(8 << 20, 1));
      return { allocated: keep.length * 8 };
    }
    case "fill-tmp": {
      const chunk = Buffer.alloc(4 << 20, 1);
      const fd = fs.openSync("/tmp/fill", "w");
      let written = 0;
      try {
        while (written < e.stopAt) written += fs.writeSync(fd, chunk);
        return { written, code: "NO_LIMIT" };
      } catch (err) {
        return { written, code: err.code };
      } finally {
        fs.closeSync(fd);
        fs.rmSync("/tmp/fill", { force: true });
      }
    }
    case "spawn-bomb": {
      let spawned = 0;
      let refused;
      for (let i = 0; i < 40 && refused === undefined; i++) {
        try {
          const c = child(e.marker, false);
          c.on("error", (err) => { refused = err.code; });
          spawned++;
        } catch (err) {
          refused = err.code;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return { spawned, refused };
    }
    case "setsid": {
      const c = child(e.marker, true);
      c.unref();
      await new Promise((r) => setTimeout(r, 300));
      if (e.hang) await new Promise(() => setInterval(() => {}, 1000));
      return { pid: c.pid };
    }
    case "sqs": {
      const { SQSClient, SendMessageCommand } = await import("@aws-sdk/client-sqs");
      const sqs = new SQSClient({});
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: e.queueUrl, MessageBody: e.body }));
      return { messageId: sent.MessageId };
    }
  }
  throw new Error("unknown probe " + e.probe);
};
`;

const PYTHON_PROBE = `
import datetime, errno, hashlib, hmac, json, os, socket, subprocess, sys, time, urllib.request, urllib.error


def attempt(fn):
    try:
        return {"ok": True, "value": fn()}
    except OSError as err:
        return {"ok": False, "code": errno.errorcode.get(err.errno, str(err))}


def read(p):
    if os.path.isdir(p):
        return os.listdir(p)
    with open(p, "rb") as f:
        return f.read(200).decode("latin1")


def write(p):
    # Opens for writing without changing a byte (see the Node.js probe).
    flags = os.O_RDWR if os.path.exists(p) else os.O_WRONLY | os.O_CREAT | os.O_EXCL
    os.close(os.open(p, flags))


def connect(host, port):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        return {"ok": True}
    except socket.timeout:
        return {"ok": False, "code": "TIMEOUT"}
    except OSError as err:
        return {"ok": False, "code": errno.errorcode.get(err.errno, str(err))}
    finally:
        s.close()


def status(url, headers=None, method="GET"):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}, method=method), timeout=5).status
    except urllib.error.HTTPError as err:
        return err.code


def signed_sqs(target, body):
    """SQS's JSON protocol, signed with SigV4 by hand (this Python has no boto3)."""
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    host = endpoint.split("//", 1)[1].rstrip("/")
    region = os.environ["AWS_REGION"]
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = json.dumps(body).encode()
    headers = {"content-type": "application/x-amz-json-1.0", "host": host, "x-amz-date": amz_date, "x-amz-target": "AmazonSQS." + target}
    names = sorted(headers)
    canonical = "\\n".join(["POST", "/", "", "".join(n + ":" + headers[n] + "\\n" for n in names), ";".join(names), hashlib.sha256(payload).hexdigest()])
    scope = "/".join([day, region, "sqs", "aws4_request"])
    to_sign = "\\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + os.environ["AWS_SECRET_ACCESS_KEY"]).encode()
    for part in (day, region, "sqs", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (os.environ["AWS_ACCESS_KEY_ID"], scope, ";".join(names), signature)
    request = urllib.request.Request(endpoint + "/", data=payload, headers=headers, method="POST")
    return json.loads(urllib.request.urlopen(request, timeout=5).read())


def sleeper(marker, session):
    return subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)", marker], start_new_session=session,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def handler(e, context):
    probe = e["probe"]
    if probe == "environ":
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
        return {"pids": pids, "environs": [attempt(lambda p=p: read("/proc/%s/environ" % p)) for p in pids + [str(e["hostPid"])]]}
    if probe == "files":
        return [attempt(lambda p=p: read(p)) for p in e["paths"]]
    if probe == "write":
        return [attempt(lambda p=p: write(p)) for p in e["paths"]]
    if probe == "connect":
        return [connect(h, p) for h, p in e["targets"]]
    if probe == "admin":
        base = os.environ["AWS_ENDPOINT_URL"]
        return [status(base + "/_sandbox/accounts", {"authorization": "Bearer " + e["token"]}, "POST"), status(base + "/_sandbox/health")]
    if probe == "memory":
        keep = []  # bounded here too (2 GiB), should the jail be missing
        for _ in range(256):
            keep.append(b"\\x01" * (8 << 20))
        return {"allocated": len(keep) * 8}
    if probe == "fill-tmp":
        chunk, written = b"\\x01" * (4 << 20), 0
        try:
            with open("/tmp/fill", "wb", buffering=0) as f:
                while written < e["stopAt"]:
                    written += f.write(chunk)
            return {"written": written, "code": "NO_LIMIT"}
        except OSError as err:
            return {"written": written, "code": errno.errorcode.get(err.errno)}
        finally:
            os.remove("/tmp/fill")
    if probe == "fork-bomb":
        children = 0
        try:
            while children < 1000:  # bounded here too, should the jail be missing
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
            return {"forked": children, "refused": None}
        except OSError as err:
            return {"forked": children, "refused": errno.errorcode.get(err.errno)}
    if probe == "setsid":
        child = sleeper(e["marker"], True)
        time.sleep(0.3)
        if e.get("hang"):
            time.sleep(3600)
        return {"pid": child.pid}
    if probe == "sqs":
        return {"messageId": signed_sqs("SendMessage", {"QueueUrl": e["queueUrl"], "MessageBody": e["body"]})["MessageId"]}
    raise ValueError("unknown probe " + probe)
`;

type Outcome = { ok: boolean; code?: string; value?: unknown };

let sandbox: TestSandbox;
let lambda: LambdaClient;
let sqs: SQSClient;
let victim: AccountKeys;
let site: http.Server;
let sitePort: number;
let closedPort: number;
const bytes = (b64: string) => Buffer.from(b64, "base64");

interface Invoked {
  error: string | undefined;
  payload: unknown;
  logs: string;
  ms: number;
}

async function invoke(name: string, event: Record<string, unknown>): Promise<Invoked> {
  const started = Date.now();
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: "Tail" }));
  return {
    error: out.FunctionError,
    payload: JSON.parse(Buffer.from(out.Payload ?? []).toString("utf8")),
    logs: Buffer.from(out.LogResult ?? "", "base64").toString("utf8"),
    ms: Date.now() - started,
  };
}

async function createProbe(name: string, runtime: "node" | "python", settings: { MemorySize?: number; Timeout?: number } = {}) {
  const code: Record<string, string> = runtime === "node" ? { "index.mjs": NODE_PROBE } : { "escape_probe.py": PYTHON_PROBE };
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: ROLE, Code: { ZipFile: bytes(zipOf(code)) },
    Runtime: runtime === "node" ? "nodejs20.x" : "python3.12", Handler: runtime === "node" ? "index.handler" : "escape_probe.handler",
    Timeout: settings.Timeout ?? 10, MemorySize: settings.MemorySize ?? 128,
  }));
}

/** Host processes whose command line holds the marker (the test's own never does). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) found.push(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** The kernel tears a pid namespace down as its init dies; give it a moment before looking. */
async function noneLeft(marker: string): Promise<number[]> {
  let left = processesWith(marker);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = processesWith(marker);
  }
  return left;
}

const RUNTIMES = [
  { runtime: "node", name: "probe-node" },
  { runtime: "python", name: "probe-python" },
] as const;

describe.skipIf(!support.ok)("Lambda code runs in a jail it cannot leave", () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    lambda = new LambdaClient(sandbox.clientConfig());
    sqs = new SQSClient(sandbox.clientConfig());
    // The site: on every address, so code that shares the host's network would reach it.
    site = http.createServer((_req, res) => res.end("site"));
    await new Promise<void>((resolve) => site.listen(0, "0.0.0.0", resolve));
    sitePort = (site.address() as AddressInfo).port;
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    // Another account's function, whose code and variables must stay out of reach.
    victim = await sandbox.createAccount();
    const iam = new IAMClient(sandbox.clientConfig(victim));
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await iam.send(new CreateRoleCommand({ RoleName: "worker", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    iam.destroy();
    const victimLambda = new LambdaClient(sandbox.clientConfig(victim));
    await victimLambda.send(new CreateFunctionCommand({
      FunctionName: "victim-fn", Runtime: "nodejs20.x", Role: `arn:aws:iam::${victim.accountId}:role/worker`, Handler: "index.handler",
      Code: { ZipFile: bytes(zipOf({ "index.mjs": "export const handler = async () => 'victim-secret-code';" })) },
      Environment: { Variables: { SECRET: "victim-secret-variable" } },
    }));
    victimLambda.destroy();
    for (const { runtime, name } of RUNTIMES) {
      await createProbe(name, runtime);
      await createProbe(`${name}-short`, runtime, { Timeout: 2 });
    }
  });

  afterAll(async () => {
    lambda?.destroy();
    sqs?.destroy();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await sandbox?.close();
  });

  describe.each(RUNTIMES)("$runtime", ({ name }) => {
    it("sees only its own processes in /proc, and no environment but its own", async () => {
      // The sandbox runs in this very process (a vitest worker): its environment names VITEST.
      expect(fs.readFileSync(`/proc/${process.pid}/environ`, "latin1")).toContain("VITEST");
      const { error, payload } = await invoke(name, { probe: "environ", hostPid: process.pid });
      expect(error).toBeUndefined();
      const seen = payload as { pids: string[]; environs: Outcome[] };
      // bwrap's init, the runtime, and (Node.js) nothing else: the host's processes do not exist here.
      expect(seen.pids.length).toBeLessThanOrEqual(3);
      for (const environ of seen.environs) {
        if (environ.ok) expect(String(environ.value)).not.toMatch(/VITEST|AUTH_SECRET|SANDBOX_ADMIN_TOKEN|DATABASE_URL/);
      }
    });

    it("cannot read the data directory, the site's secrets, the repository or another account's code", async () => {
      const victimCode = path.join(sandbox.dataDir, "lambda", victim.accountId, "us-east-1", "victim-fn", "index.mjs");
      const paths = [sandbox.dataDir, ...fs.readdirSync(sandbox.dataDir).map((f) => path.join(sandbox.dataDir, f)), victimCode, path.dirname(victimCode),
        path.join(ROOT, ".data", "secrets.json"), path.join(ROOT, ".data"), ROOT, path.join(ROOT, "package.json"), os.homedir(), "/etc/shadow", "/var/task/../../" + victimCode];
      // Each of these is there for the host (so the jail's answer means something)…
      for (const p of [sandbox.dataDir, victimCode, ROOT, os.homedir()]) expect(fs.existsSync(p)).toBe(true);
      const { error, payload } = await invoke(name, { probe: "files", paths });
      expect(error).toBeUndefined();
      // …and none is for the function.
      (payload as Outcome[]).forEach((outcome, i) => expect({ path: paths[i], ...outcome }).toMatchObject({ path: paths[i], ok: false, code: "ENOENT" }));
    });

    it("cannot write its code, the runtime or anything outside /tmp", async () => {
      const paths = ["/var/task/index.mjs", "/var/task/new-file", "/var/runtime/node-runner.mjs", "/etc/hosts", "/lab-grader-escape-probe", "/usr/lab-grader-escape-probe"];
      const { payload } = await invoke(name, { probe: "write", paths });
      (payload as Outcome[]).forEach((outcome, i) => expect({ path: paths[i], ok: outcome.ok }).toEqual({ path: paths[i], ok: false }));
      (payload as Outcome[]).forEach((outcome) => expect(["EROFS", "EACCES", "EPERM", "ENOENT"]).toContain(outcome.code));
      // Nothing appeared on the host either.
      for (const p of ["/lab-grader-escape-probe", "/usr/lab-grader-escape-probe"]) expect(fs.existsSync(p), p).toBe(false);
    });

    it("reaches the sandbox's port and nothing else: not the site, other loopback ports, the host's addresses or the outside", async () => {
      const sandboxPort = Number(new URL(sandbox.endpoint).port);
      const lan = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;
      const targets: [string, number][] = [
        ["127.0.0.1", sandboxPort], ["127.0.0.1", sitePort], ["127.0.0.1", closedPort], ["localhost", sitePort], ["192.0.2.1", 80],
        ...(lan !== undefined ? ([[lan, sitePort], [lan, sandboxPort]] as [string, number][]) : []),
      ];
      // The host itself reaches the site (so the jail's refusal is the jail's doing).
      await expect(fetch(`http://127.0.0.1:${sitePort}/`).then((r) => r.text())).resolves.toBe("site");
      const { error, payload } = await invoke(name, { probe: "connect", targets });
      expect(error).toBeUndefined();
      const [toSandbox, ...others] = payload as Outcome[];
      expect(toSandbox).toEqual({ ok: true });
      others.forEach((outcome, i) => expect({ target: targets[i + 1], ...outcome }).toMatchObject({ target: targets[i + 1], ok: false }));
    });

    it("gets 403 from the admin API, even with the admin token", async () => {
      const { error, payload } = await invoke(name, { probe: "admin", token: sandbox.adminToken });
      expect(error).toBeUndefined();
      expect(payload).toEqual([403, 403]);
      // The same token works from the host: the refusal is the jail's socket's.
      expect((await sandbox.admin("GET", "/_sandbox/health")).status).toBe(200);
    });

    it("fails as AWS reports it when it allocates past MemorySize", async () => {
      const { error, payload } = await invoke(name, { probe: "memory" });
      expect(error).toBe("Unhandled");
      expect(payload).toMatchObject({ errorType: "Runtime.OutOfMemory" });
      expect(String((payload as { errorMessage: string }).errorMessage)).toMatch(/^RequestId: \S+ Error: Runtime exited with error: signal: killed$/);
    });

    it("cannot leave a setsid'd child behind, whether it answers or runs past its Timeout", async () => {
      const answered = `escape-setsid-${randomUUID()}`;
      const ok = await invoke(name, { probe: "setsid", marker: answered });
      expect(ok.error).toBeUndefined();
      expect(await noneLeft(answered)).toEqual([]);
      const hung = `escape-setsid-${randomUUID()}`;
      const timedOut = await invoke(`${name}-short`, { probe: "setsid", marker: hung, hang: true });
      expect(timedOut.payload).toMatchObject({ errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 2.00 seconds" });
      expect(await noneLeft(hung)).toEqual([]);
    });
  });

  describe.each(RUNTIMES)("$runtime with more memory", ({ runtime, name }) => {
    it("fills its private /tmp up to Lambda's 512 MB and no further", async () => {
      await createProbe(`${name}-tmp`, runtime, { MemorySize: 1024, Timeout: 30 });
      const { error, payload } = await invoke(`${name}-tmp`, { probe: "fill-tmp", stopAt: (TMP_MIB + 64) * 1024 * 1024 });
      expect(error).toBeUndefined();
      const filled = payload as { written: number; code: string };
      expect(filled.code).toBe("ENOSPC");
      expect(filled.written).toBeLessThanOrEqual(TMP_MIB * 1024 * 1024);
      expect(filled.written).toBeGreaterThan(TMP_MIB * 1024 * 1024 * 0.9);
    });
  });

  it("bounds a Python fork bomb, and none of it outlives the invocation", async () => {
    await createProbe("bomb-python", "python", { MemorySize: 512, Timeout: 20 });
    const { error, payload } = await invoke("bomb-python", { probe: "fork-bomb" });
    expect(error).toBeUndefined();
    const bomb = payload as { forked: number; refused: string | null };
    if (cgroupParents().pids !== undefined) {
      expect(bomb.refused).toBe("EAGAIN");
      expect(bomb.forked).toBeLessThan(MAX_TASKS);
    }
    // The forked copies carry the runner's command line, handler included.
    expect(await noneLeft("escape_probe.handler")).toEqual([]);
  });

  it("bounds a Node.js spawn bomb, and none of it outlives the invocation", async () => {
    await createProbe("bomb-node", "node", { MemorySize: 512, Timeout: 10 });
    const marker = `escape-bomb-${randomUUID()}`;
    const { payload } = await invoke("bomb-node", { probe: "spawn-bomb", marker });
    // Stopped by the pids group, the memory group (the runtime itself killed) or the Timeout.
    expect(payload).toBeTruthy();
    expect(await noneLeft(marker)).toEqual([]);
  });

  it.each(RUNTIMES)("lets a well-behaved $runtime function send to the sandbox's SQS from inside the jail", async ({ name }) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `from-${name}` }));
    const body = `hello from ${name} ${randomUUID()}`;
    const { error, payload, logs } = await invoke(name, { probe: "sqs", queueUrl: QueueUrl, body });
    expect({ error, logs: error ? logs : "" }).toEqual({ error: undefined, logs: "" });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual([body]);
    expect(received.Messages?.[0]?.MessageId).toBe((payload as { messageId: string }).messageId);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));
  });
});
