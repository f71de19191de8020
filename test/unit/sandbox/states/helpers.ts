// Test doubles for the services a state machine calls, the real IAM and STS (so a state machine
// assumes its role), and a loop that moves the manual clock while real child processes run.
import type { SessionIssuer } from "@/sandbox/core/accounts";
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import type { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createIamService } from "@/sandbox/services/iam";
import { createStsService } from "@/sandbox/services/sts";

export interface RecordedCall {
  operation: string;
  input: Record<string, unknown>;
  ctx: RequestContext;
}

/** A fake service whose operations record their calls and answer with `reply`. */
export function recorder(signingName: string, operations: string[], reply: (op: string, input: Record<string, unknown>) => Record<string, unknown> = () => ({})) {
  const calls: RecordedCall[] = [];
  const module: ServiceModule = {
    definition: {
      signingName,
      operations: Object.fromEntries(operations.map((op) => [op, {
        action: `${signingName}:${op}`,
        handler: (input: Record<string, unknown>, ctx: RequestContext) => {
          calls.push({ operation: op, input, ctx });
          return reply(op, input);
        },
      }])) as unknown as ServiceModule["definition"]["operations"],
    },
    resetAccount: () => undefined,
  };
  return { module, calls };
}

/** Advances the manual scheduler a second at a time (Waits) until the execution leaves RUNNING. */
export async function describeUntilDone(env: ReturnType<typeof memoryEnvironment>, executionArn: string, ctx: RequestContext, stepMs = 1000) {
  for (let i = 0; i < 600; i++) {
    await env.scheduler.advance(stepMs);
    const d = await env.call("states", "DescribeExecution", { executionArn }, ctx);
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`execution ${executionArn} still RUNNING`);
}

/** A trust policy letting an AWS service assume the role. */
export const trustedBy = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/**
 * The real IAM and STS services on a memory environment, so Step Functions (or EventBridge) can
 * assume a role as it does in the sandbox: the role's trust policy decides. Sessions are minted
 * but not kept: nothing here signs requests with them.
 */
export function registerIdentity(env: ReturnType<typeof memoryEnvironment>) {
  const iam = createIamService(env);
  let n = 0;
  const sessions: SessionIssuer = {
    issueSession: (i) =>
      ({ ...i, accessKeyId: `ASIATEST${String(n++).padStart(12, "0")}`, secretAccessKey: "secret", sessionToken: "token", expiration: i.now + i.durationSeconds * 1000 }) as unknown as ReturnType<SessionIssuer["issueSession"]>,
  };
  const sts = createStsService(env, { roles: () => iam.roles, sessions });
  env.register(iam);
  env.register(sts);
  /** Creates a role (in the context's account) that `service` may assume; resolves with its ARN. */
  const role = async (name: string, ctx: RequestContext, trust = trustedBy("states.amazonaws.com")) =>
    String(((await env.call("iam", "CreateRole", { RoleName: name, AssumeRolePolicyDocument: trust }, ctx)).Role as { Arn: string }).Arn);
  return { iam, sts, role };
}
