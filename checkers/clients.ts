// One SDK client per service, made with the connection's endpoint, region and credentials.
// Checkers reach a target only through these, so the sandbox, LocalStack and AWS look alike.
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { ACTION_PROPERTY, actionOf } from "./errors";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

/** Counts the AWS calls a check makes (one per command sent; SDK retries are not extra calls). */
export class CallCounter {
  total = 0;
  readonly byAction = new Map<string, number>();
  count(action: string): void {
    this.total++;
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
  }
}

export interface ClientOptions {
  region: string;
  /** The sandbox's or LocalStack's URL; absent for AWS. */
  endpoint?: string;
  /** Absent: the SDK's default chain (environment, profile...). */
  credentials?: AwsCredentials | CredentialsProvider;
  calls?: CallCounter;
  /** Per request; the SDK retries a timed-out request (3 tries in all, with backoff). */
  requestTimeoutMs?: number;
  /** Replaces the SDK's HTTP handler: the unit tests answer requests without a network. */
  requestHandler?: unknown;
}

export interface AwsClients {
  readonly sts: STSClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
}

// The settings every client shares. "standard" retry mode retries throttling, timeouts and
// dropped connections with exponential backoff and jitter; maxAttempts 3 is "3 tries".
function baseConfig(o: ClientOptions) {
  const timeout = o.requestTimeoutMs ?? 10_000;
  return {
    region: o.region,
    maxAttempts: 3,
    retryMode: "standard",
    requestHandler: (o.requestHandler ?? { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 5_000) }) as { requestTimeout: number },
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  };
}

interface Instrumentable {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/**
 * Counts each call and tags a failure with the IAM action it needed, so an AccessDenied
 * becomes "the grader may not call sqs:GetQueueAttributes" even when the target's message
 * does not say which action it was.
 */
function instrument<C>(client: C, prefix: string, calls: CallCounter | undefined): C {
  (client as unknown as Instrumentable).middlewareStack.add(
    (next, context) => async (args) => {
      const action = actionOf(prefix, context.commandName ?? "Unknown");
      calls?.count(action);
      try {
        return await next(args);
      } catch (err) {
        if (typeof err === "object" && err !== null && !(ACTION_PROPERTY in err)) {
          (err as Record<string, unknown>)[ACTION_PROPERTY] = action;
        }
        throw err;
      }
    },
    { step: "initialize", name: "labGraderCalls" },
  );
  return client;
}

/** Clients are made on first use: a step that needs only SQS builds only the SQS client. */
export function createClients(o: ClientOptions): AwsClients {
  const cfg = baseConfig(o);
  const made = new Map<string, unknown>();
  const lazy = <C>(key: string, make: () => C): C => {
    if (!made.has(key)) made.set(key, instrument(make(), key, o.calls));
    return made.get(key) as C;
  };
  return {
    get sts() { return lazy("sts", () => new STSClient(cfg)); },
    get sns() { return lazy("sns", () => new SNSClient(cfg)); },
    get sqs() { return lazy("sqs", () => new SQSClient(cfg)); },
    get events() { return lazy("events", () => new EventBridgeClient(cfg)); },
    get lambda() { return lazy("lambda", () => new LambdaClient(cfg)); },
    get sfn() { return lazy("states", () => new SFNClient(cfg)); },
  };
}
