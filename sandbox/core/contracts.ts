// The contracts between the sandbox's core (HTTP, SigV4, protocols, accounts, IAM enforcement,
// persistence, timers) and its services (one folder each under sandbox/services/). A service
// never touches HTTP or SigV4; the core never knows a service's semantics.

/** Who is calling. Account keys act as the account's root; STS credentials act as the assumed role. */
export type Principal =
  | { kind: "account"; accountId: string; arn: string /* arn:aws:iam::<acct>:root */ }
  | {
      kind: "assumed-role";
      accountId: string;
      roleArn: string; // arn:aws:iam::<acct>:role/<name>
      roleName: string;
      sessionName: string;
      arn: string; // arn:aws:sts::<acct>:assumed-role/<name>/<session>
    }
  /** An AWS service acting inside the sandbox (SNS delivering to SQS, EventBridge invoking Lambda…). */
  | { kind: "service"; accountId: string; service: string /* "sns.amazonaws.com" */; arn: string; sourceArn?: string };

export interface RequestContext {
  accountId: string;
  region: string;
  principal: Principal;
  requestId: string;
  /** Milliseconds since the epoch, from the sandbox clock. */
  now: number;
  /** The endpoint the client used (scheme + host of the request, e.g. "http://127.0.0.1:4566"), for URLs a response hands back (SQS queue URLs). */
  endpoint?: string;
  /**
   * The request carried no credentials: SNS's SubscribeURL or unsubscribe link, the only calls
   * AWS answers unsigned (the principal is then the topic owner's root). AWS refuses an unsigned
   * Unsubscribe of a subscription confirmed with AuthenticateOnUnsubscribe.
   */
  unsigned?: true;
}

/** An AWS error as the wire carries it. The protocol layer turns it into JSON, XML or REST-JSON. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;
  /** For query-protocol services whose XML error code differs from the JSON one (SQS: "AWS.SimpleQueueService.NonExistentQueue"). */
  readonly queryCode?: string;
  constructor(code: string, message: string, status = 400, options: { senderFault?: boolean; queryCode?: string } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.senderFault = options.senderFault ?? status < 500;
    if (options.queryCode !== undefined) this.queryCode = options.queryCode;
  }
}

/**
 * One AWS operation as the core runs it. `input` is whatever the client sent, in the JSON
 * protocol's shape (the SDK's …CommandInput); the handler checks it. Services build these with
 * operationTable() (core/operation-table.ts), never by hand.
 */
export interface Operation {
  /** The IAM action checked for assumed-role callers, e.g. "sqs:SendMessage". */
  action: string;
  /** The resource ARN the action is on (for IAM evaluation); "*" when the action has no resource. */
  resource?: (input: Record<string, unknown>, ctx: RequestContext) => string;
  /** The output is the SDK's …CommandOutput without $metadata (or nothing). */
  handler: (input: Record<string, unknown>, ctx: RequestContext) => unknown;
}

/** How a query-protocol request's flat parameters become an input, and an output becomes XML. */
export interface QueryCodec {
  /** The XML namespace of responses, e.g. "http://queue.amazonaws.com/doc/2012-11-05/". */
  xmlns: string;
  decode(operation: string, params: Record<string, string>): Record<string, unknown>;
  /** The inner XML of <OperationResult> (without it), or null for operations with no result element. */
  encodeResult(operation: string, output: Record<string, unknown>): string | null;
}

/** A REST-JSON route (Lambda): method + path template with {params}; the input merges path params, query and body. */
export interface RestRoute {
  method: string;
  path: string; // e.g. "/2015-03-31/functions/{FunctionName}/invocations"
  operation: string;
  /** Status code of success (default 200). */
  successStatus?: number;
  /** Raw (non-JSON) response for Invoke: the handler returns { __raw: Buffer, __headers: {...} }. */
}

export interface ServiceDefinition {
  /** The SigV4 signing name, which routes the request: "sqs", "sns", "sts", "iam", "events", "states", "lambda". */
  signingName: string;
  /** X-Amz-Target prefix for JSON protocols, e.g. "AmazonSQS", "AWSEvents", "AWSStepFunctions". */
  targetPrefix?: string;
  /** "1.0" or "1.1" for AWS JSON protocols. */
  jsonVersion?: "1.0" | "1.1";
  query?: QueryCodec;
  rest?: RestRoute[];
  operations: Record<string, Operation>;
}

/** Durable storage for service state: write-through, survives SIGKILL once a call has returned. */
export interface DurableStore {
  /** Every row of a table, to rebuild in-memory models at start. */
  load<T>(table: string): Array<[key: string, value: T]>;
  put<T>(table: string, key: string, value: T): void;
  delete(table: string, key: string): void;
  /** Deletes every row whose key starts with the prefix (e.g. an account's rows on reset). */
  deletePrefix(table: string, prefix: string): void;
  /** Runs several writes as one transaction. */
  transaction<R>(fn: () => R): R;
}

/** Timers that stop when the sandbox closes. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
  setInterval(fn: () => void, ms: number): { cancel(): void };
  now(): number;
}

/** What every service receives at construction: persistence, timers, and the other services. */
export interface ServiceEnvironment {
  store: DurableStore;
  scheduler: Scheduler;
  /** Calls another service's operation in-process, as the given principal (IAM is not re-checked for service principals). */
  call(signingName: string, operation: string, input: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>>;
  /** Is an outbound URL allowed by the outbound-address policy (DNS resolved)? Resolves with a reason when not. */
  checkOutbound(url: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Options the operator set (SANDBOX_MODE, SANDBOX_LAMBDA_EXEC…). */
  options: {
    mode: "local" | "hosted";
    lambdaExec: boolean;
    dataDir: string;
    /** Where the sandbox listens, as a loopback URL (for Lambda child processes); set once the server listens. */
    endpointUrl?: string;
    /** The URL learners are told to use (SANDBOX_PUBLIC_URL, else endpointUrl), for URLs handed out of band (SNS SubscribeURL). */
    publicUrl?: string;
    /** A Unix socket serving the AWS API (not the admin API), bound into Lambda jails as their only way out; set once listening. */
    lambdaSocket?: string;
  };
  /** For IAM resource-policy checks by services (SQS queue policy, Lambda function policy). */
  newRequestId(): string;
}

/** A service module's factory: `export function createSqsService(env: ServiceEnvironment): ServiceModule`. */
export interface ServiceModule {
  definition: ServiceDefinition;
  /** Removes every resource of an account (admin reset/delete). */
  resetAccount(accountId: string): void;
  /** Stops background work. */
  close?(): void;
}
