// createSandbox: the durable store, accounts, every service and the HTTP server, wired.
// Used by `npm run sandbox` (scripts/sandbox.ts), by `npm start`, and in-process by tests.
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { ServiceEnvironment, ServiceModule } from "./core/contracts";
import { AccountDirectory } from "./core/accounts";
import { createEnvironment } from "./core/environment";
import type { RoleDirectory } from "./core/identity";
import { noRoles } from "./core/identity";
import { realScheduler } from "./core/scheduler";
import { ANY_HOST, localHostPolicy, ownHosts } from "./core/host-policy";
import type { DispatchDeps } from "./core/dispatch";
import { createSealer, loadOrCreateSealingKey } from "./core/sealing";
import { createHttpServer } from "./core/server";
import type { WiredService } from "./core/services";
import { wireServices } from "./core/services";
import { openSqliteStore } from "./core/store";
import { createServices } from "./services/registry";
import { announceConfinement } from "./services/lambda/runtime/confinement";
import { jailSupport } from "./services/lambda/runtime/jail";

export interface SandboxOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  /** When absent: read from `<dataDir>/admin-token`, or generated there at first start. */
  adminToken?: string;
  /**
   * hosted: issued keys only (no `test`/`test`), and learner Lambda code runs only in the bubblewrap jail.
   * local: answers only requests addressed to the sandbox itself. The operator's setting is resolved
   * in one place (sandbox/settings.ts, DEPLOYMENT_MODE=hosted included).
   */
  mode?: "local" | "hosted";
  /** Run learners' Lambda code (default on); in hosted mode only inside the jail. */
  lambdaExec?: boolean;
  endpointPolicy?: "local" | "hosted";
  allowedEndpoints?: string[];
  /** SANDBOX_PUBLIC_URL: the address learners use, when it is not the listening address. */
  publicUrl?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  adminToken: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The admin token: given, or kept beside the data (mode 0600), generated the first time. */
function resolveAdminToken(dataDir: string, given: string | undefined): string {
  if (given !== undefined && given !== "") return given;
  const file = path.join(dataDir, "admin-token");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing !== "") {
      fs.chmodSync(file, 0o600);
      return existing;
    }
  } catch {
    /* first start */
  }
  const token = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, token + "\n", { mode: 0o600 });
  return token;
}

/** A Unix socket's path must fit sockaddr_un (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * The jails' socket: beside the data (a folder only this user may enter, reused by the next
 * start, so a killed sandbox leaves nothing behind), or in a fresh temporary folder when that
 * path is too long for a socket. Undefined (and said) when it cannot listen.
 */
async function listenForJails(server: http.Server, dataDir: string): Promise<{ server: http.Server; socket: string; cleanup: () => void } | undefined> {
  let socket = path.join(dataDir, "lambda.sock");
  let cleanup = () => fs.rmSync(socket, { force: true });
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-jail-socket-"));
    socket = path.join(dir, "lambda.sock");
    cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  }
  cleanup(); // the socket of a sandbox that was killed on this data directory
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socket, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return { server, socket, cleanup };
  } catch (e) {
    cleanup();
    console.warn(`sandbox: Lambda functions cannot reach the sandbox from their jail: ${(e as Error).message}`);
    return undefined;
  }
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = path.resolve(options.dataDir ?? ".data/sandbox");
  const mode = options.mode ?? "local";
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const adminToken = resolveAdminToken(dataDir, options.adminToken);

  const sealer = createSealer(loadOrCreateSealingKey(dataDir));
  const store = openSqliteStore(dataDir);
  let accounts: AccountDirectory;
  try {
    accounts = new AccountDirectory(store, sealer);
    accounts.grader();
  } catch (e) {
    store.close(); // a key file that does not open the store's secrets: say so, and let go of the files
    throw e;
  }
  const scheduler = realScheduler();

  let services = new Map<string, WiredService>();
  let roles: RoleDirectory = noRoles;
  const env: ServiceEnvironment = createEnvironment({
    store,
    scheduler,
    options: { mode, lambdaExec: options.lambdaExec ?? true, dataDir },
    outbound: { policy: options.endpointPolicy ?? mode, allowed: options.allowedEndpoints ?? [] },
    services: () => services,
    roles: () => roles,
  });
  let modules: ServiceModule[] = [];
  try {
    const set = createServices(env, { sessions: accounts });
    modules = set.modules;
    roles = set.roles;
    services = wireServices(modules);
  } catch (e) {
    scheduler.close();
    store.close();
    throw e;
  }
  const pruner = scheduler.setInterval(() => accounts.pruneSessions(Date.now()), 10 * 60_000);

  const deps: DispatchDeps = {
    services,
    accounts,
    roles: () => roles,
    now: () => Date.now(),
    auth: { hosted: mode === "hosted" },
    hosts: ANY_HOST, // until the port is known (nothing arrives before the server listens)
  };
  const admin = { adminToken, accounts, modules: () => modules, hosted: mode === "hosted" };
  const server = createHttpServer(deps, admin);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 4566, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    // The port is taken (or not ours): release everything so the caller can retry.
    for (const m of modules) m.close?.();
    scheduler.close();
    store.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? (host === "::" ? "[::1]" : `[${host}]`) : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${urlHost}:${port}`;
  // Known only now (port 0 picks one): Lambda's child processes call back here.
  env.options.endpointUrl = url;
  env.options.publicUrl = options.publicUrl?.replace(/\/+$/, "") || url;
  // Local mode answers its own addresses only (Lambda's child processes call back on `url`, a
  // loopback alias; SQS queue URLs carry the Host the client used, which passed this check).
  if (mode === "local") deps.hosts = localHostPolicy(ownHosts(host, port, options.publicUrl), options.publicUrl);
  // Lambda jails have no network: their one way out is a Unix socket serving the AWS API only.
  let jailSocket: Awaited<ReturnType<typeof listenForJails>>;
  if (env.options.lambdaExec) {
    announceConfinement(mode);
    if (jailSupport().ok) jailSocket = await listenForJails(createHttpServer(deps, admin, { serveAdmin: false }), dataDir);
    if (jailSocket) env.options.lambdaSocket = jailSocket.socket;
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    adminToken,
    dataDir,
    close() {
      closing ??= (async () => {
        pruner.cancel();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (jailSocket) {
          const { server: socketServer, cleanup } = jailSocket;
          await new Promise<void>((resolve) => {
            socketServer.close(() => resolve());
            socketServer.closeAllConnections();
          });
          cleanup();
        }
        for (const m of modules) {
          try {
            m.close?.();
          } catch (e) {
            console.error(`sandbox: closing ${m.definition.signingName} failed:`, e);
          }
        }
        scheduler.close();
        store.close();
      })();
      return closing;
    },
  };
}
