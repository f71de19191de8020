// SQS send+receive+delete round trips per second, in one run on one machine, against:
//   the floor (../shared/bench/sqs-floor-server.mjs: canned answers, what the SDK and HTTP cost),
//   the sandbox with `test` keys (no signature check) and with issued, signature-checked keys,
//   and moto (python3 -m moto.server) where it is installed.
// The loop is ../shared/bench/sqs-throughput.mjs's, with the credentials as a parameter.
// On a shared machine absolute rates swing by a third from one minute to the next, so besides the
// ratio of medians it reports the median of per-round ratios (each target against the floor of the
// same round, which cancels slower drifts in load), every round's figures, and the server's CPU
// per round trip while 8 are in flight (from /proc; the figure load disturbs least).
// usage: npx tsx bench/sqs-compare.ts [N=1000] [ROUNDS=3]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}
interface Rates {
  sequential: number;
  eightInFlight: number;
  empty: number;
  /** Server CPU milliseconds per completed round trip with 8 in flight; undefined where /proc is not readable. */
  serverMsPerTrip?: number;
}

/** CPU time (user + system) a process has used so far, in ms; undefined off Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const ticksPerSecond = 100; // USER_HZ, 100 on Linux
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

/** moto is about 3x slower than the rest: it gets fewer round trips (as in ../shared/bench/README.md). */
async function throughput(endpoint: string, credentials: Creds, n: number, serverPid: number | undefined): Promise<Rates> {
  const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-${Date.now()}` }));
  let done = 0;
  let empty = 0;
  const one = async (i: number) => {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    const m = r.Messages?.[0];
    if (!m) {
      empty++;
      return;
    }
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    done++;
  };
  for (let i = 0; i < 20; i++) await one(i);
  done = 0;
  empty = 0;
  let t = performance.now();
  for (let i = 0; i < n; i++) await one(i);
  const sequential = done / ((performance.now() - t) / 1000);
  done = 0;
  const cpuBefore = cpuMs(serverPid);
  t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) await one(next++); }));
  const eightInFlight = done / ((performance.now() - t) / 1000);
  const cpuAfter = cpuMs(serverPid);
  sqs.destroy();
  const rates: Rates = { sequential, eightInFlight, empty };
  if (cpuBefore !== undefined && cpuAfter !== undefined && done > 0) rates.serverMsPerTrip = (cpuAfter - cpuBefore) / done;
  return rates;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const children: ChildProcess[] = [];
  let dataDir: string | undefined;
  const stopAll = () => {
    children.forEach((c) => c.kill("SIGKILL"));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("exit", stopAll);
  try {
    const floorPort = await freePort();
    const floorServer = spawn(process.execPath, [path.resolve("../shared/bench/sqs-floor-server.mjs"), String(floorPort)], { stdio: "ignore" });
    children.push(floorServer);
    const sandboxPort = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sandbox-"));
    const adminToken = "bench-admin-token-0123456789abcdef0123456789";
    const sandboxServer = spawn(process.execPath, ["--import", "tsx", "scripts/sandbox.ts"], {
      stdio: "ignore",
      env: { ...process.env, SANDBOX_PORT: String(sandboxPort), SANDBOX_DATA: dataDir, SANDBOX_ADMIN_TOKEN: adminToken },
    });
    children.push(sandboxServer);
    const motoPresent = spawnSync("python3", ["-c", "import moto.server"]).status === 0;
    const motoPort = await freePort();
    const motoServer = motoPresent ? spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(motoPort)], { stdio: "ignore" }) : undefined;
    if (motoServer) children.push(motoServer);

    const floor = `http://127.0.0.1:${floorPort}`;
    const sandbox = `http://127.0.0.1:${sandboxPort}`;
    const moto = `http://127.0.0.1:${motoPort}`;
    await waitFor(floor);
    await waitFor(`${sandbox}/_sandbox/health`);
    if (motoPresent) await waitFor(moto);
    const issued = (await (await fetch(`${sandbox}/_sandbox/accounts`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } })).json()) as Creds;
    const test = { accessKeyId: "test", secretAccessKey: "test" };

    const targets: [string, string, Creds, number | undefined][] = [
      ["floor (canned answers)", floor, test, floorServer.pid],
      ["sandbox, test keys", sandbox, test, sandboxServer.pid],
      ["sandbox, issued keys (SigV4 checked)", sandbox, { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey }, sandboxServer.pid],
      ...(motoServer ? ([["moto 5 (python3 -m moto.server)", moto, test, motoServer.pid]] as [string, string, Creds, number | undefined][]) : []),
    ];
    const results = new Map<string, Rates[]>();
    // Rounds alternate the targets, so a busy moment on the machine hits all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, endpoint, creds, pid] of targets) {
        const r = await throughput(endpoint, creds, name.startsWith("moto") ? Math.min(N, 300) : N, pid);
        results.set(name, [...(results.get(name) ?? []), r]);
      }
    }
    const floorRates = results.get(targets[0]![0])!;
    const floorSeq = median(floorRates.map((r) => r.sequential));
    const floorPar = median(floorRates.map((r) => r.eightInFlight));
    console.log(`SQS send+receive+delete round trips per second, N=${N}, median of ${ROUNDS} alternating rounds, node ${process.version}, ${os.cpus().length} cores`);
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    console.log("| endpoint | sequential /s | 8 in flight /s | vs floor, ratio of medians (seq / 8) | vs floor, median of per-round ratios (seq / 8) | server CPU ms per round trip, 8 in flight | empty receives |");
    console.log("|---|---|---|---|---|---|---|");
    for (const [name] of targets) {
      const rs = results.get(name)!;
      const seq = median(rs.map((r) => r.sequential));
      const par = median(rs.map((r) => r.eightInFlight));
      const pairedSeq = median(rs.map((r, i) => r.sequential / floorRates[i]!.sequential));
      const pairedPar = median(rs.map((r, i) => r.eightInFlight / floorRates[i]!.eightInFlight));
      const cpu = rs.map((r) => r.serverMsPerTrip).filter((x): x is number => x !== undefined);
      const empty = rs.reduce((a, r) => a + r.empty, 0);
      console.log(
        `| ${name} | ${seq.toFixed(1)} | ${par.toFixed(1)} | ${pct(seq / floorSeq)} / ${pct(par / floorPar)} | ${pct(pairedSeq)} / ${pct(pairedPar)} | ${cpu.length > 0 ? median(cpu).toFixed(2) : "n/a"} | ${empty} |`,
      );
    }
    console.log("\nEvery round (sequential / 8 in flight, per second):");
    for (const [name] of targets) {
      console.log(`  ${name}: ${results.get(name)!.map((r) => `${r.sequential.toFixed(0)}/${r.eightInFlight.toFixed(0)}`).join("  ")}`);
    }
    if (!motoPresent) console.log("(moto is not installed here: its row is left out)");
  } finally {
    stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
