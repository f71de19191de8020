// What a checker gets: the step's front matter (names and expected values), clients for the
// learner's account, a call counter, and for step 6 the probe switch, an abort signal and a
// progress callback.
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { StepFrontMatter } from "@/lib/content/step-schema";
import { CallCounter, createClients, type AwsClients, type AwsCredentials, type CredentialsProvider } from "./clients";
import { credentialCache, resolveCredentials, type CredentialCache } from "./credentials";

export interface CallerIdentity {
  account: string;
  /** "aws", "aws-cn", "aws-us-gov": ARNs the checkers build use it. */
  partition: string;
  arn: string;
}

export interface Connection {
  /** "sandbox", "localstack" or "aws", for the report. */
  target: string;
  region: string;
  endpoint?: string;
  clients: AwsClients;
  calls: CallCounter;
  /** sts:GetCallerIdentity, called at most once per connection. */
  identity(): Promise<CallerIdentity>;
  /**
   * One fetch per key for the connection's lifetime (one check run): steps checked together
   * share what they read (step 2 and step 3 both read the work queues) instead of asking twice.
   */
  memo<T>(key: string, fetch: () => Promise<T>): Promise<T>;
}

export interface CheckContext extends Connection {
  step: StepFrontMatter;
  /** Every step of the lab, when known: step 6 reads step 5's function names from it. */
  labSteps?: readonly StepFrontMatter[];
  /** Step 6 acts only when the learner asked for the probe; otherwise it explains and skips. */
  probe: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface ConnectOptions {
  target: string;
  region: string;
  endpoint?: string;
  roleArn?: string;
  externalId?: string;
  userId?: string;
  /** The grader principal (or, without a role, the credentials to check with). */
  baseCredentials?: AwsCredentials | CredentialsProvider;
  cache?: CredentialCache;
  requestTimeoutMs?: number;
}

export function connectionFromClients(
  o: { target: string; region: string; endpoint?: string },
  clients: AwsClients,
  calls: CallCounter,
): Connection {
  let identity: Promise<CallerIdentity> | undefined;
  const memos = new Map<string, Promise<unknown>>();
  return {
    ...o,
    clients,
    calls,
    memo<T>(key: string, fetch: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) {
        p = fetch();
        memos.set(key, p);
      }
      return p;
    },
    identity() {
      identity ??= clients.sts.send(new GetCallerIdentityCommand({})).then((r) => {
        const arn = r.Arn ?? "";
        return { account: r.Account ?? "", partition: arn.split(":")[1] || "aws", arn };
      });
      return identity;
    },
  };
}

/** Assumes the role (cached) and makes the clients. Throws ConnectionError when AssumeRole fails. */
export async function connect(o: ConnectOptions): Promise<Connection> {
  const credentials = await resolveCredentials(
    {
      ...(o.roleArn ? { roleArn: o.roleArn } : {}),
      ...(o.externalId ? { externalId: o.externalId } : {}),
      userId: o.userId ?? "cli",
      region: o.region,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      ...(o.baseCredentials ? { base: o.baseCredentials } : {}),
    },
    o.cache ?? credentialCache,
  );
  const calls = new CallCounter();
  const clients = createClients({
    region: o.region,
    calls,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
  });
  return connectionFromClients({ target: o.target, region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}) }, clients, calls);
}

export function contextFor(
  connection: Connection,
  step: StepFrontMatter,
  extras: { probe?: boolean; signal?: AbortSignal; onProgress?: (message: string) => void; labSteps?: readonly StepFrontMatter[] } = {},
): CheckContext {
  return {
    ...connection,
    identity: () => connection.identity(),
    memo: (key, fetch) => connection.memo(key, fetch),
    step,
    probe: extras.probe === true,
    ...(extras.labSteps ? { labSteps: extras.labSteps } : {}),
    ...(extras.signal ? { signal: extras.signal } : {}),
    ...(extras.onProgress ? { onProgress: extras.onProgress } : {}),
  };
}
