// Step Functions acts with the state machine's execution role, never as a free-floating service:
// core/service-roles.ts assumes the role as states.amazonaws.com with the state machine as
// aws:SourceArn and its account as aws:SourceAccount (the confused-deputy guidance of the Step
// Functions docs), so the role's trust policy decides. What is Step Functions' own is here: how
// it names the session, and how a role that does not trust it fails the task that needed it.
import { AwsError } from "@/sandbox/core/contracts";
import type { AssumedRolePrincipal, ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { StatesError } from "@/semantics/asl";

const SERVICE = "states.amazonaws.com";

export interface MachineIdentity {
  accountId: string;
  region: string;
  /** The state machine's ARN: the aws:SourceArn of the AssumeRole call. */
  machineArn: string;
  roleArn: string;
}

/** Step Functions names its sessions with a random token, as CloudTrail shows them. */
function sessionName(): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let out = "";
  for (let i = 0; i < 32; i++) out += letters[Math.floor(Math.random() * letters.length)];
  return out;
}

/**
 * One run's credentials: a session of its own, assumed on the first task and renewed shortly
 * before it expires. A role that does not (or no longer) trust Step Functions fails the task.
 */
export function executionRole(sessions: ServiceRoleSessions, who: MachineIdentity): () => Promise<AssumedRolePrincipal> {
  const use = {
    service: SERVICE,
    sourceArn: who.machineArn,
    sourceAccount: who.accountId,
    region: who.region,
    roleArn: who.roleArn,
    sessionName: sessionName(),
  };
  return () =>
    sessions.principal(use).catch((err: unknown) => {
      if (!(err instanceof AwsError)) throw err;
      throw new StatesError(
        "States.TaskFailed",
        `Neither the global service principal ${SERVICE}, nor the regional one is authorized to assume the provided role ${who.roleArn}: ${err.message}`,
      );
    });
}
