// Step Functions acts with the state machine's execution role, never as a free-floating service:
// it assumes the role through STS as states.amazonaws.com (the role's trust policy decides, with
// aws:SourceArn the state machine and aws:SourceAccount its account, as the confused-deputy
// guidance of the Step Functions docs describes), and each task then calls the other services as
// that assumed-role session, so the role's own policies and the targets' resource policies apply.
import { AwsError } from "@/sandbox/core/contracts";
import type { Principal, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import { StatesError } from "@/semantics/asl";

const SERVICE = "states.amazonaws.com";
const SESSION_SECONDS = 3600;
/** A session is renewed this long before its credentials would expire. */
const RENEW_MARGIN_MS = 5 * 60_000;

export interface MachineIdentity {
  accountId: string;
  region: string;
  /** The state machine's ARN: the aws:SourceArn of the AssumeRole call. */
  machineArn: string;
  roleArn: string;
}

type AssumedRole = Extract<Principal, { kind: "assumed-role" }>;

/** Step Functions names its sessions with a random token, as CloudTrail shows them. */
function sessionName(): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let out = "";
  for (let i = 0; i < 32; i++) out += letters[Math.floor(Math.random() * letters.length)];
  return out;
}

/**
 * The execution's credentials: assumed on the first task, kept until shortly before they expire.
 * A role that does not (or no longer) trust Step Functions fails the task that needed it.
 */
export function executionRole(env: ServiceEnvironment, who: MachineIdentity): () => Promise<AssumedRole> {
  let current: { principal: AssumedRole; renewAt: number } | undefined;
  let pending: Promise<AssumedRole> | undefined;
  const name = sessionName();

  async function assume(): Promise<AssumedRole> {
    const ctx: RequestContext = {
      accountId: who.accountId,
      region: who.region,
      requestId: env.newRequestId(),
      now: env.scheduler.now(),
      principal: { kind: "service", service: SERVICE, accountId: who.accountId, arn: SERVICE, sourceArn: who.machineArn },
    };
    let out: Record<string, unknown>;
    try {
      out = await env.call("sts", "AssumeRole", { RoleArn: who.roleArn, RoleSessionName: name, DurationSeconds: SESSION_SECONDS }, ctx);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      throw new StatesError(
        "States.TaskFailed",
        `Neither the global service principal ${SERVICE}, nor the regional one is authorized to assume the provided role ${who.roleArn}: ${err.message}`,
      );
    }
    const user = out.AssumedRoleUser as { Arn?: unknown } | undefined;
    const credentials = out.Credentials as { Expiration?: unknown } | undefined;
    const roleName = who.roleArn.slice(who.roleArn.lastIndexOf("/") + 1);
    const roleAccount = who.roleArn.split(":")[4] ?? who.accountId;
    const principal: AssumedRole = {
      kind: "assumed-role",
      accountId: roleAccount,
      roleArn: who.roleArn,
      roleName,
      sessionName: name,
      arn: typeof user?.Arn === "string" ? user.Arn : `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${name}`,
    };
    const expires = typeof credentials?.Expiration === "string" ? Date.parse(credentials.Expiration) : NaN;
    const until = Number.isFinite(expires) ? expires : ctx.now + SESSION_SECONDS * 1000;
    current = { principal, renewAt: until - RENEW_MARGIN_MS };
    return principal;
  }

  return () => {
    if (current && env.scheduler.now() < current.renewAt) return Promise.resolve(current.principal);
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
