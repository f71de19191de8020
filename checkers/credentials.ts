// Credentials for the learner's account: sts:AssumeRole into their grader role with their
// ExternalId, cached until 5 minutes before expiry so STS is called once per credential
// lifetime. Without a role ARN the base credentials are used directly (the CLI's default).
//
// The cache is the only state checkers keep; losing it costs one AssumeRole, so a second app
// instance with its own cache is fine (ARCHITECTURE.md, "Growing past one machine").
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import type { AwsCredentials, CredentialsProvider } from "./clients";
import { classifyError, errorText } from "./errors";

/** What the cache needs of STS; tests pass a fake. */
export interface StsLike {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

export interface RoleParams {
  roleArn: string;
  externalId?: string;
  /** Becomes the session name `lab-grader-<userId>`, visible in the learner's CloudTrail. */
  userId: string;
  region: string;
  endpoint?: string;
  /** The grader principal; absent means the SDK's default chain. */
  base?: AwsCredentials | CredentialsProvider;
}

/** AssumeRole failed: the connection, not a step, is wrong. The CLI exits 2 on this. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ConnectionError";
  }
}

export const REFRESH_MARGIN_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;
// STS always returns an Expiration; this covers an emulator that does not.
const ASSUMED_LIFETIME_MS = 15 * 60_000;

export function sessionName(userId: string): string {
  return `lab-grader-${userId}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

async function baseIdentity(base: RoleParams["base"]): Promise<string> {
  if (base === undefined) return "default-chain";
  const creds = typeof base === "function" ? await base() : base;
  return creds.accessKeyId;
}

interface Entry {
  credentials: Promise<AwsCredentials>;
  /** When to stop using it: 5 minutes before expiry. */
  refreshAt: number;
}

export interface CacheOptions {
  now?: () => number;
  makeSts?: (p: RoleParams) => StsLike;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly makeSts: (p: RoleParams) => StsLike;
  /** AssumeRole calls made, for the benchmark. */
  assumeRoleCalls = 0;

  constructor(o: CacheOptions = {}) {
    this.now = o.now ?? Date.now;
    this.makeSts =
      o.makeSts ??
      ((p) =>
        new STSClient({
          region: p.region,
          maxAttempts: 3,
          ...(p.endpoint ? { endpoint: p.endpoint } : {}),
          ...(p.base ? { credentials: p.base } : {}),
        }));
  }

  async get(p: RoleParams): Promise<AwsCredentials> {
    const key = [p.endpoint ?? "aws", p.region, p.roleArn, p.externalId ?? "", await baseIdentity(p.base)].join("|");
    const hit = this.entries.get(key);
    if (hit && this.now() < hit.refreshAt) return hit.credentials;

    // The promise is cached at once, so concurrent checks share one AssumeRole call.
    const entry: Entry = { credentials: this.assume(p), refreshAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    try {
      const creds = await entry.credentials;
      const expires = creds.expiration?.getTime() ?? this.now() + ASSUMED_LIFETIME_MS;
      entry.refreshAt = expires - REFRESH_MARGIN_MS;
      return creds;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private async assume(p: RoleParams): Promise<AwsCredentials> {
    this.assumeRoleCalls++;
    let out: AssumeRoleCommandOutput;
    try {
      out = await this.makeSts(p).send(
        new AssumeRoleCommand({
          RoleArn: p.roleArn,
          RoleSessionName: sessionName(p.userId),
          DurationSeconds: SESSION_SECONDS,
          ...(p.externalId ? { ExternalId: p.externalId } : {}),
        }),
      );
    } catch (err) {
      throw assumeRoleError(p, err);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new ConnectionError(`AssumeRole on ${p.roleArn} returned no credentials.`, "NoCredentials", "Test the connection again; the target answered AssumeRole without credentials.");
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  }
}

function assumeRoleError(p: RoleParams, err: unknown): ConnectionError {
  const c = classifyError(err);
  if (c.kind === "access-denied") {
    return new ConnectionError(
      `The grader could not assume ${p.roleArn}: ${errorText(err)}`,
      c.code,
      "Check, most likely first: the ExternalId in the role's trust policy is the one the Connect page shows; the trust policy names the grader's account as principal; the role ARN is copied exactly (account id and role name).",
    );
  }
  if (c.kind === "unreachable" || c.kind === "timeout") {
    return new ConnectionError(`The endpoint did not answer AssumeRole for ${p.roleArn}: ${errorText(err)}`, c.code, "Make sure the endpoint URL is right and the sandbox or LocalStack is running.");
  }
  return new ConnectionError(`AssumeRole on ${p.roleArn} failed: ${errorText(err)}`, c.code, "Test the connection again; if it keeps failing, check the role ARN and the grader's own credentials.");
}

/** The process-wide cache; safe to lose. */
export const credentialCache = new CredentialCache();

/**
 * The credentials checks use: the assumed role's when a role ARN is given, else the base
 * credentials directly (undefined: the SDK's default chain).
 */
export async function resolveCredentials(
  p: Omit<RoleParams, "roleArn"> & { roleArn?: string },
  cache: CredentialCache = credentialCache,
): Promise<AwsCredentials | CredentialsProvider | undefined> {
  if (!p.roleArn) return p.base;
  return cache.get({ ...p, roleArn: p.roleArn });
}
