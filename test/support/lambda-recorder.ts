// Where a unit test's Lambda function reports what it saw. Jailed code sees none of the host's
// files and no network but the sandbox's Unix socket (env.options.lambdaSocket), reached through
// the runner's forwarder on the port of env.options.endpointUrl, which the function gets as
// AWS_ENDPOINT_URL. This stands in for that sandbox: an HTTP server on a Unix socket, and on that
// same loopback port too, so code run unconfined (no bubblewrap on this machine) reaches it as well.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/** Function code that POSTs a JSON value to the recorder (await it before returning or throwing). */
export const REPORT_FUNCTION =
  "const report = async (value) => { const res = await fetch(process.env.AWS_ENDPOINT_URL, { method: \"POST\", body: JSON.stringify(value) }); if (res.status !== 204) throw new Error(`report refused: ${res.status}`); };";

export interface LambdaRecorder {
  /** For memoryEnvironment's options: the function's endpoint and the jail's socket. */
  options: { endpointUrl: string; lambdaSocket: string };
  /** Every value reported so far, in arrival order. */
  reports(): unknown[];
  close(): Promise<void>;
}

function listen(server: http.Server, target: string | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    if (typeof target === "string") server.listen(target, resolve);
    else server.listen(target.port, target.host, resolve);
  });
}

export async function startLambdaRecorder(): Promise<LambdaRecorder> {
  const received: unknown[] = [];
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), "lambda-recorder-"));
  const socket = path.join(dir, "api.sock");
  const onSocket = http.createServer(handler);
  const onPort = http.createServer(handler);
  await listen(onSocket, socket);
  await listen(onPort, { port: 0, host: "127.0.0.1" });
  const { port } = onPort.address() as AddressInfo;
  const stop = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    options: { endpointUrl: `http://127.0.0.1:${port}`, lambdaSocket: socket },
    reports: () => [...received],
    async close() {
      await Promise.all([stop(onSocket), stop(onPort)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
