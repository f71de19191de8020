// HTTP client of the built-in sandbox's admin API (sandbox/README.md). lib/ talks to the
// sandbox only over HTTP, like any other deployment of it would. The bearer token and the keys
// in the answers are never logged.
import { env } from "@/lib/env";

export interface SandboxKeys {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SandboxAdminConfig {
  /** The sandbox's own address (the admin API is not for learners, so not the public URL). */
  baseUrl: string;
  token: string | undefined;
}

export class SandboxAdminError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SandboxAdminError";
  }
}

export function defaultAdminConfig(): SandboxAdminConfig {
  return { baseUrl: `http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}`, token: env.SANDBOX_ADMIN_TOKEN };
}

/** The URL learners (and the grader) use for AWS calls to the sandbox. */
export function sandboxEndpoint(): string {
  return (env.SANDBOX_PUBLIC_URL ?? `http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}`).replace(/\/+$/, "");
}

function keysOf(body: unknown): SandboxKeys {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { accountId, accessKeyId, secretAccessKey } = b;
  if (typeof accountId !== "string" || typeof accessKeyId !== "string" || typeof secretAccessKey !== "string") {
    throw new SandboxAdminError("The sandbox answered without an account's keys.");
  }
  return { accountId, accessKeyId, secretAccessKey };
}

export class SandboxAdmin {
  constructor(private readonly config: SandboxAdminConfig = defaultAdminConfig()) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  private async call(method: string, path: string, expected: number): Promise<unknown> {
    if (!this.config.token) throw new SandboxAdminError("The sandbox admin token is not configured (SANDBOX_ADMIN_TOKEN); start the site with `npm start`.");
    let res: Response;
    try {
      res = await fetch(this.config.baseUrl.replace(/\/+$/, "") + path, {
        method,
        headers: { authorization: `Bearer ${this.config.token}` },
        signal: AbortSignal.timeout(10_000),
        cache: "no-store",
      });
    } catch (err) {
      throw new SandboxAdminError(`The built-in sandbox at ${this.config.baseUrl} did not answer (${err instanceof Error ? err.message : String(err)}). Is it running?`);
    }
    const text = await res.text();
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // a non-JSON answer is reported by status below
    }
    if (res.status !== expected) {
      const message = typeof (body as { message?: unknown }).message === "string" ? (body as { message: string }).message : `HTTP ${res.status}`;
      throw new SandboxAdminError(`The sandbox refused ${method} ${path}: ${message}`, res.status);
    }
    return body;
  }

  async createAccount(): Promise<SandboxKeys> {
    return keysOf(await this.call("POST", "/_sandbox/accounts", 201));
  }

  async getAccount(accountId: string): Promise<SandboxKeys> {
    return keysOf(await this.call("GET", `/_sandbox/accounts/${encodeURIComponent(accountId)}`, 200));
  }

  async resetAccount(accountId: string): Promise<void> {
    await this.call("POST", `/_sandbox/accounts/${encodeURIComponent(accountId)}/reset`, 200);
  }

  async grader(): Promise<SandboxKeys> {
    return keysOf(await this.call("GET", "/_sandbox/grader", 200));
  }
}

// The grader's keys do not change while the sandbox keeps its data: one admin call per process.
let graderKeys: { baseUrl: string; keys: Promise<SandboxKeys> } | undefined;

export function cachedGraderKeys(admin: SandboxAdmin = new SandboxAdmin()): Promise<SandboxKeys> {
  const baseUrl = admin.baseUrl;
  if (graderKeys?.baseUrl !== baseUrl) {
    const keys = admin.grader();
    graderKeys = { baseUrl, keys };
    // A failed fetch is not cached: the next request asks again.
    keys.catch(() => {
      if (graderKeys?.keys === keys) graderKeys = undefined;
    });
  }
  return graderKeys.keys;
}

/** Forgets the grader's keys (after the sandbox lost its data, or in tests). */
export function forgetGraderKeys(): void {
  graderKeys = undefined;
}
