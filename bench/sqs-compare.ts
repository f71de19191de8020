// SQS send+receive+delete round trips per second, in one run on one machine, against:
//   the floor (../shared/bench/sqs-floor-server.mjs: canned answers, what the SDK and HTTP cost),
//   the sandbox with `test` keys (no signature check) and with issued, signature-checked keys,
//   and moto (python3 -m moto.server) where it is installed.
// The round trip is ../shared/bench/sqs-throughput.mjs's (send, receive one, delete it; a receive
// that finds nothing does not count), sequential and with 8 in flight.
// On a shared machine the speed of the whole machine swings by a third from one minute to the
// next, more than the differences being measured. So the targets are not measured one after the
// other: one warm client per target runs short blocks in turn (by default 50 round trips
// sequential, 100 with 8 in flight; moto a fifth of that, it is ~5x slower), the order rotating
// every block, so every target sees the same moments of the machine. It reports each target's rate over all its
// blocks, the median of its per-block ratios against the floor's block of the same turn, the
// spread of those ratios, and the server's CPU per round trip (from /proc).
// Shorter blocks follow the machine's swings more closely; longer ones pay less for switching
// between servers (each block starts with caches the other servers have just used).
// usage: npx tsx bench/sqs-compare.ts [BLOCKS=40] [SEQUENTIAL_BLOCK=50]   (8 in flight: twice that)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const BLOCKS = Number(process.argv[2] ?? 40);
const SEQUENTIAL_BLOCK = Number(process.argv[3] ?? 50);
const IN_FLIGHT_BLOCK = 2 * SEQUENTIAL_BLOCK;

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}
type Mode = "sequential" | "eightInFlight";
const MODES: Mode[] = ["sequential", "eightInFlight"];

interface Target {
  name: string;
  sqs: SQSClient;
  queueUrl: string;
  serverPid: number | undefined;
  /** Round trips per block relative to the others (moto is much slower). */
  scale: number;
  blocks: Record<Mode, Array<{ done: number; ms: number }>>;
  serverCpuMs: number;
  empty: number;
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

async function target(name: string, endpoint: string, credentials: Creds, serverPid: number | undefined, scale = 1): Promise<Target> {
  const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-${Date.now()}` }));
  const t: Target = { name, sqs, queueUrl: QueueUrl!, serverPid, scale, blocks: { sequential: [], eightInFlight: [] }, serverCpuMs: 0, empty: 0 };
  for (let i = 0; i < 20; i++) await roundTrip(t, i); // warm the client and the connection
  t.empty = 0;
  return t;
}

async function roundTrip(t: Target, i: number): Promise<boolean> {
  await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queueUrl, MessageBody: `m${i}` }));
  const r = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: t.queueUrl, MaxNumberOfMessages: 1 }));
  const m = r.Messages?.[0];
  if (!m) {
    t.empty++;
    return false;
  }
  await t.sqs.send(new DeleteMessageCommand({ QueueUrl: t.queueUrl, ReceiptHandle: m.ReceiptHandle }));
  return true;
}

async function runBlock(t: Target, mode: Mode): Promise<void> {
  const count = Math.max(1, Math.round((mode === "sequential" ? SEQUENTIAL_BLOCK : IN_FLIGHT_BLOCK) * t.scale));
  const inFlight = mode === "sequential" ? 1 : 8;
  let next = 0;
  let done = 0;
  const cpuBefore = cpuMs(t.serverPid);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const ok = await roundTrip(t, next++);
        if (ok) done++;
      }
    }),
  );
  const ms = performance.now() - start;
  const cpuAfter = cpuMs(t.serverPid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) t.serverCpuMs += cpuAfter - cpuBefore;
  t.blocks[mode].push({ done, ms });
}

const rate = (b: { done: number; ms: number }) => b.done / (b.ms / 1000);
const total = (bs: Array<{ done: number; ms: number }>) => rate({ done: bs.reduce((a, b) => a + b.done, 0), ms: bs.reduce((a, b) => a + b.ms, 0) });
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

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

    const targets: Target[] = [
      await target("floor (canned answers)", floor, test, floorServer.pid),
      await target("sandbox, test keys", sandbox, test, sandboxServer.pid),
      await target("sandbox, issued keys (SigV4 checked)", sandbox, { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey }, sandboxServer.pid),
      ...(motoServer ? [await target("moto 5 (python3 -m moto.server)", moto, test, motoServer.pid, 0.2)] : []),
    ];
    const floorTarget = targets[0]!;
    for (let b = 0; b < BLOCKS; b++) {
      for (const mode of MODES) {
        // Rotate the order every block, so no target always follows the same one.
        for (let k = 0; k < targets.length; k++) await runBlock(targets[(b + k) % targets.length]!, mode);
      }
    }
    for (const t of targets) t.sqs.destroy();

    const trips = (t: Target) => MODES.reduce((a, m) => a + t.blocks[m].reduce((x, b) => x + b.done, 0), 0);
    console.log(`SQS send+receive+delete round trips per second, ${BLOCKS} interleaved blocks per target and mode (${SEQUENTIAL_BLOCK} sequential / ${IN_FLIGHT_BLOCK} with 8 in flight), node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    console.log("| endpoint | sequential /s | 8 in flight /s | vs floor, all blocks (seq / 8) | vs floor, median of per-block ratios (seq / 8) | per-block ratio p10–p90 (seq; 8) | server CPU ms per round trip | empty receives |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const t of targets) {
      const ratios = (mode: Mode) => t.blocks[mode].map((b, i) => rate(b) / rate(floorTarget.blocks[mode][i]!));
      const spread = (mode: Mode) => `${pct(quantile(ratios(mode), 0.1))}–${pct(quantile(ratios(mode), 0.9))}`;
      const seq = total(t.blocks.sequential);
      const par = total(t.blocks.eightInFlight);
      const cpu = t.serverPid !== undefined && cpuMs(t.serverPid) !== undefined ? (t.serverCpuMs / trips(t)).toFixed(2) : "n/a";
      console.log(
        `| ${t.name} | ${seq.toFixed(1)} | ${par.toFixed(1)} | ${pct(seq / total(floorTarget.blocks.sequential))} / ${pct(par / total(floorTarget.blocks.eightInFlight))} | ${pct(quantile(ratios("sequential"), 0.5))} / ${pct(quantile(ratios("eightInFlight"), 0.5))} | ${spread("sequential")}; ${spread("eightInFlight")} | ${cpu} | ${t.empty} |`,
      );
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
