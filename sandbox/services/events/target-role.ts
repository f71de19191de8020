// A target's execution role (its RoleArn): EventBridge assumes it through STS as
// events.amazonaws.com, with the rule as aws:SourceArn and the rule's account as the caller, so
// the role's trust policy decides; the delivery is then made as that assumed-role session, and
// the role's own policies and the target's resource policy apply to it. Sessions are reused per
// rule and role until shortly before their credentials expire.
import type { Principal, RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";

const SERVICE = "events.amazonaws.com";
const SESSION_SECONDS = 3600;
const RENEW_MARGIN_MS = 5 * 60_000;

type AssumedRole = Extract<Principal, { kind: "assumed-role" }>;

export interface RoleUse {
  ruleArn: string;
  /** The rule's (the bus owner's) account: the account EventBridge acts for. */
  ruleAccount: string;
  region: string;
  roleArn: string;
}

export class TargetRoles {
  private readonly sessions = new Map<string, { principal: AssumedRole; renewAt: number }>();

  constructor(private readonly env: ServiceEnvironment) {}

  /** The assumed-role principal to deliver as; rejects with STS's AccessDenied when the role does not trust EventBridge. */
  async principal(use: RoleUse): Promise<AssumedRole> {
    const key = `${use.ruleArn}|${use.roleArn}`;
    const cached = this.sessions.get(key);
    const now = this.env.scheduler.now();
    if (cached && now < cached.renewAt) return cached.principal;
    const ctx: RequestContext = {
      accountId: use.ruleAccount,
      region: use.region,
      requestId: this.env.newRequestId(),
      now,
      principal: { kind: "service", service: SERVICE, accountId: use.ruleAccount, arn: SERVICE, sourceArn: use.ruleArn },
    };
    // EventBridge's sessions are named after the rule's event and target; one per rule here.
    const sessionName = `events-${Buffer.from(use.ruleArn).toString("hex").slice(-32)}`.slice(0, 64);
    const out = await this.env.call("sts", "AssumeRole", { RoleArn: use.roleArn, RoleSessionName: sessionName, DurationSeconds: SESSION_SECONDS }, ctx);
    const user = out.AssumedRoleUser as { Arn?: unknown } | undefined;
    const expiration = Date.parse(String((out.Credentials as { Expiration?: unknown } | undefined)?.Expiration ?? ""));
    const roleName = use.roleArn.slice(use.roleArn.lastIndexOf("/") + 1);
    const account = use.roleArn.split(":")[4] ?? use.ruleAccount;
    const principal: AssumedRole = {
      kind: "assumed-role",
      accountId: account,
      roleArn: use.roleArn,
      roleName,
      sessionName,
      arn: typeof user?.Arn === "string" ? user.Arn : `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    };
    const until = Number.isFinite(expiration) ? expiration : now + SESSION_SECONDS * 1000;
    this.sessions.set(key, { principal, renewAt: until - RENEW_MARGIN_MS });
    return principal;
  }

  /** Forgets an account's sessions (admin reset). */
  resetAccount(accountId: string): void {
    for (const key of [...this.sessions.keys()]) if (key.split("|")[0]?.split(":")[4] === accountId) this.sessions.delete(key);
  }
}
