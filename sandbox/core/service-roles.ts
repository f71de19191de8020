// How an AWS service acts with a resource's execution role instead of as a free-floating service:
// it assumes the role through STS as its service principal (states.amazonaws.com,
// events.amazonaws.com, lambda.amazonaws.com), with the resource as aws:SourceArn and the
// resource's account as aws:SourceAccount, so the role's trust policy decides (the confused-deputy
// rule of AWS's docs); it then calls other services as that assumed-role session, so the role's
// own policies and the targets' resource policies apply. Step Functions tasks, EventBridge
// targets with a RoleArn and Lambda's event source mappings all use this one piece.
import type { Principal, RequestContext, ServiceEnvironment } from "./contracts";

export type AssumedRolePrincipal = Extract<Principal, { kind: "assumed-role" }>;

export interface RoleUse {
  /** The service principal that assumes the role, e.g. "states.amazonaws.com". */
  service: string;
  /** The resource the service acts for (state machine, rule, mapping): aws:SourceArn. */
  sourceArn: string;
  /** That resource's account: the account the service acts for, aws:SourceAccount. */
  sourceAccount: string;
  region: string;
  roleArn: string;
  /** The session's name as the service names it (CloudTrail shows it). */
  sessionName: string;
}

const SESSION_SECONDS = 3600;
/** A session is renewed this long before its credentials would expire. */
const RENEW_MARGIN_MS = 5 * 60_000;

interface Session {
  principal: AssumedRolePrincipal;
  renewAt: number;
}

/** Sessions one service holds, reused per (resource, role) until shortly before they expire. */
export class ServiceRoleSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, Promise<AssumedRolePrincipal>>();

  constructor(private readonly env: ServiceEnvironment) {}

  /** The principal to act as; rejects with STS's error when the role does not trust the service. */
  principal(use: RoleUse): Promise<AssumedRolePrincipal> {
    const key = `${use.sourceArn}|${use.roleArn}|${use.sessionName}`;
    const cached = this.sessions.get(key);
    if (cached && this.env.scheduler.now() < cached.renewAt) return Promise.resolve(cached.principal);
    let assuming = this.pending.get(key);
    if (!assuming) {
      assuming = this.assume(use, key).finally(() => this.pending.delete(key));
      this.pending.set(key, assuming);
    }
    return assuming;
  }

  /** Forgets the sessions held for an account's resources (admin reset, deleted resources). */
  forget(sourceAccount: string): void {
    for (const [key, session] of this.sessions) {
      if (key.split("|")[0]?.split(":")[4] === sourceAccount || session.principal.accountId === sourceAccount) this.sessions.delete(key);
    }
  }

  private async assume(use: RoleUse, key: string): Promise<AssumedRolePrincipal> {
    const now = this.env.scheduler.now();
    const ctx: RequestContext = {
      accountId: use.sourceAccount,
      region: use.region,
      requestId: this.env.newRequestId(),
      now,
      principal: { kind: "service", service: use.service, accountId: use.sourceAccount, arn: use.service, sourceArn: use.sourceArn },
    };
    const out = await this.env.call(
      "sts",
      "AssumeRole",
      { RoleArn: use.roleArn, RoleSessionName: use.sessionName, DurationSeconds: SESSION_SECONDS },
      ctx,
    );
    const user = out.AssumedRoleUser as { Arn?: unknown } | undefined;
    const expiration = Date.parse(String((out.Credentials as { Expiration?: unknown } | undefined)?.Expiration ?? ""));
    const roleName = use.roleArn.slice(use.roleArn.lastIndexOf("/") + 1);
    const account = use.roleArn.split(":")[4] ?? use.sourceAccount;
    const principal: AssumedRolePrincipal = {
      kind: "assumed-role",
      accountId: account,
      roleArn: use.roleArn,
      roleName,
      sessionName: use.sessionName,
      arn: typeof user?.Arn === "string" ? user.Arn : `arn:aws:sts::${account}:assumed-role/${roleName}/${use.sessionName}`,
    };
    const until = Number.isFinite(expiration) ? expiration : now + SESSION_SECONDS * 1000;
    // A session past its renewal time is never handed out again: dropping those keeps the cache
    // to the sessions in use (Step Functions names a session of its own for each execution).
    for (const [k, s] of this.sessions) if (s.renewAt <= now) this.sessions.delete(k);
    this.sessions.set(key, { principal, renewAt: until - RENEW_MARGIN_MS });
    return principal;
  }
}
