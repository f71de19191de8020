// Test harness for the built-in sandbox: an in-process sandbox on port 0 with a temporary data
// directory (startTestSandbox), or a real child process for restart tests (spawnSandboxProcess).
// Tests reach it only over HTTP, through the SDK's clientConfig or the admin API.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSandbox } from "@/sandbox";
import type { SandboxOptions } from "@/sandbox";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AccountKeys {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A complete environment for a child process (nothing inherited from the test's). */
export type CliEnv = NodeJS.ProcessEnv;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const TEST_CREDENTIALS: Credentials = { accessKeyId: "test", secretAccessKey: "test" };

export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: Credentials;
  maxAttempts: number;
}

interface AdminClient {
  endpoint: string;
  adminToken: string;
  /** Calls the admin API; returns the status and parsed JSON body. */
  admin(method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  createAccount(): Promise<AccountKeys>;
  resetAccount(accountId: string): Promise<void>;
  grader(): Promise<AccountKeys>;
  /** SDK v3 client settings; `test` keys unless credentials are given. One attempt: tests want the first answer. */
  clientConfig(creds?: Credentials, region?: string): ClientConfig;
  /** Environment for the AWS CLI (either one) run against the sandbox. */
  cliEnv(creds?: Credentials, region?: string): CliEnv;
}

export interface TestSandbox extends AdminClient {
  dataDir: string;
  close(): Promise<void>;
}

function adminClient(endpoint: string, adminToken: string): AdminClient {
  const admin = async (method: string, p: string) => {
    const res = await fetch(endpoint + p, { method, headers: { authorization: `Bearer ${adminToken}` } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const keys = (body: Record<string, unknown>): AccountKeys => ({
    accountId: String(body.accountId),
    accessKeyId: String(body.accessKeyId),
    secretAccessKey: String(body.secretAccessKey),
  });
  return {
    endpoint,
    adminToken,
    admin,
    async createAccount() {
      const r = await admin("POST", "/_sandbox/accounts");
      if (r.status !== 201) throw new Error(`creating a sandbox account failed: ${r.status} ${JSON.stringify(r.body)}`);
      return keys(r.body);
    },
    async resetAccount(accountId) {
      const r = await admin("POST", `/_sandbox/accounts/${accountId}/reset`);
      if (r.status !== 200) throw new Error(`resetting ${accountId} failed: ${r.status} ${JSON.stringify(r.body)}`);
    },
    async grader() {
      const r = await admin("GET", "/_sandbox/grader");
      if (r.status !== 200) throw new Error(`reading the grader keys failed: ${r.status} ${JSON.stringify(r.body)}`);
      return keys(r.body);
    },
    clientConfig(creds = TEST_CREDENTIALS, region = "us-east-1") {
      const credentials: Credentials = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
      if (creds.sessionToken !== undefined) credentials.sessionToken = creds.sessionToken;
      return { endpoint, region, credentials, maxAttempts: 1 };
    },
    cliEnv(creds = TEST_CREDENTIALS, region = "us-east-1") {
      const env: Record<string, string> = {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: os.tmpdir(),
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_DEFAULT_REGION: region,
        AWS_REGION: region,
        AWS_PAGER: "",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_EC2_METADATA_DISABLED: "true",
      };
      if (creds.sessionToken !== undefined) env.AWS_SESSION_TOKEN = creds.sessionToken;
      return env as CliEnv;
    },
  };
}

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-sandbox-"));
}

/** An in-process sandbox on a free port with its own temporary data directory. */
export async function startTestSandbox(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tempDataDir();
  const sandbox = await createSandbox({ host: "127.0.0.1", mode: "local", lambdaExec: true, ...opts, port: opts.port ?? 0, dataDir });
  return {
    ...adminClient(sandbox.url, sandbox.adminToken),
    dataDir,
    async close() {
      await sandbox.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SandboxProcess extends AdminClient {
  dataDir: string;
  port: number;
  child: ChildProcess;
  /** Kills the process (SIGKILL by default) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Output so far, for failure messages. */
  output(): string;
}

/**
 * The sandbox as a separate process (`tsx scripts/sandbox.ts`), for restart tests. It runs as
 * `node --import tsx` — one process, so a SIGKILL reaches the server itself, not a wrapper.
 * Pass the same dataDir (and port) to start it again on the same state.
 */
export async function spawnSandboxProcess(opts: { dataDir?: string; port?: number; adminToken?: string; env?: NodeJS.ProcessEnv } = {}): Promise<SandboxProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const adminToken = opts.adminToken ?? "test-admin-token";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sandbox.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      SANDBOX_HOST: "127.0.0.1",
      SANDBOX_PORT: String(opts.port ?? 0),
      SANDBOX_DATA: dataDir,
      SANDBOX_ADMIN_TOKEN: adminToken,
      SANDBOX_MODE: "local",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox process did not start within 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /Sandbox listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox process exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    ...adminClient(url, adminToken),
    dataDir,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The two AWS CLIs on this machine: Debian's 2.9 (query protocol for SQS/STS) and pyenv's 1.x. */
export const AWS_CLIS = { v2: "/usr/bin/aws", v1: "/root/.pyenv/shims/aws" } as const;

export function cliAvailable(bin: string): boolean {
  return fs.existsSync(bin);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON. */
  json?: Record<string, unknown>;
}

/** Runs an AWS CLI against an endpoint with `--output json`; never rejects (the exit code says how it went). */
export function runAwsCli(bin: string, endpoint: string, args: string[], env: CliEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, ["--endpoint-url", endpoint, "--output", "json", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ code: -1, stdout, stderr: stderr + String(e) }));
    child.on("close", (code) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, ...(json ? { json } : {}) });
    });
  });
}
