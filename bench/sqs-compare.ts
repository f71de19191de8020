// SQS send+receive+delete round trips per second, in one run on one machine, against:
//   the floor (../shared/bench/sqs-floor-server.mjs: canned answers, what the SDK and HTTP cost),
//   the sandbox with `test` keys (no signature check) and with issued, signature-checked keys,
//   and moto (python3 -m moto.server) where it is installed.
// The loop is ../shared/bench/sqs-throughput.mjs's, with the credentials as a parameter.
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
async function throughput(endpoint: string, credentials: Creds, n: number): Promise<Rates> {
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
  t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) await one(next++); }));
  const eightInFlight = done / ((performance.now() - t) / 1000);
  sqs.destroy();
  return { sequential, eightInFlight, empty };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.kill("SIGKILL"));
  process.on("exit", stopAll);
  try {
    const floorPort = await freePort();
    children.push(spawn(process.execPath, [path.resolve("../shared/bench/sqs-floor-server.mjs"), String(floorPort)], { stdio: "ignore" }));
    const sandboxPort = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sandbox-"));
    const adminToken = "bench-admin-token-0123456789abcdef0123456789";
    children.push(
      spawn(process.execPath, ["--import", "tsx", "scripts/sandbox.ts"], {
        stdio: "ignore",
        env: { ...process.env, SANDBOX_PORT: String(sandboxPort), SANDBOX_DATA: dataDir, SANDBOX_ADMIN_TOKEN: adminToken },
      }),
    );
    const motoPresent = spawnSync("python3", ["-c", "import moto.server"]).status === 0;
    const motoPort = await freePort();
    if (motoPresent) children.push(spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(motoPort)], { stdio: "ignore" }));

    const floor = `http://127.0.0.1:${floorPort}`;
    const sandbox = `http://127.0.0.1:${sandboxPort}`;
    const moto = `http://127.0.0.1:${motoPort}`;
    await waitFor(floor);
    await waitFor(`${sandbox}/_sandbox/health`);
    if (motoPresent) await waitFor(moto);
    const issued = (await (await fetch(`${sandbox}/_sandbox/accounts`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } })).json()) as Creds;
    const test = { accessKeyId: "test", secretAccessKey: "test" };

    const targets: [string, string, Creds][] = [
      ["floor (canned answers)", floor, test],
      ["sandbox, test keys", sandbox, test],
      ["sandbox, issued keys (SigV4 checked)", sandbox, { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey }],
      ...(motoPresent ? ([["moto 5 (python3 -m moto.server)", moto, test]] as [string, string, Creds][]) : []),
    ];
    const results = new Map<string, Rates[]>();
    // Rounds alternate the targets, so a busy moment on the machine hits all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, endpoint, creds] of targets) {
        const r = await throughput(endpoint, creds, name.startsWith("moto") ? Math.min(N, 300) : N);
        results.set(name, [...(results.get(name) ?? []), r]);
      }
    }
    const floorRates = results.get(targets[0]![0])!;
    const floorSeq = median(floorRates.map((r) => r.sequential));
    const floorPar = median(floorRates.map((r) => r.eightInFlight));
    console.log(`SQS send+receive+delete round trips per second, N=${N}, median of ${ROUNDS} alternating rounds, node ${process.version}, ${os.cpus().length} cores`);
    console.log("| endpoint | sequential /s | 8 in flight /s | vs floor (seq / 8) | empty receives |");
    console.log("|---|---|---|---|---|");
    for (const [name] of targets) {
      const rs = results.get(name)!;
      const seq = median(rs.map((r) => r.sequential));
      const par = median(rs.map((r) => r.eightInFlight));
      const empty = rs.reduce((a, r) => a + r.empty, 0);
      console.log(`| ${name} | ${seq.toFixed(1)} | ${par.toFixed(1)} | ${((seq / floorSeq) * 100).toFixed(0)}% / ${((par / floorPar) * 100).toFixed(0)}% | ${empty} |`);
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
