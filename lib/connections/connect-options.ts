// The stored connection as checkers' ConnectOptions (what grading and "Test connection" use).
import type { ConnectOptions } from "@/checkers/context";
import { asTarget, getConnection } from "./connections";
import { graderCredentials } from "./grader-principal";
import { sandboxEndpoint } from "./sandbox-admin";

/**
 * The learner's stored connection as checkers' ConnectOptions, with the grader principal as
 * base credentials. Null when the learner has not connected, or has not given a role ARN yet.
 */
export async function loadConnectOptions(userId: string): Promise<ConnectOptions | null> {
  const c = await getConnection(userId);
  if (!c?.roleArn) return null;
  const target = asTarget(c.target);
  const endpoint = target === "sandbox" ? sandboxEndpoint() : target === "localstack" ? (c.endpoint ?? undefined) : undefined;
  if (target === "localstack" && !endpoint) return null;
  const baseCredentials = await graderCredentials(target);
  return {
    target,
    region: c.region,
    ...(endpoint ? { endpoint } : {}),
    roleArn: c.roleArn,
    externalId: c.externalId,
    userId,
    ...(baseCredentials ? { baseCredentials } : {}),
  };
}
