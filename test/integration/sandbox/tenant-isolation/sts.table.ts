// STS: AssumeRole names a role by ARN. The victim's roles trust the victim's account, the
// Lambda service, and (one of them) the attacker's account with an ExternalId: the attacker gets
// AWS's single AccessDenied unless the trust policy trusts it with the right ExternalId.
import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import type { IsolationTable } from "./support";
import { OTHER_REGION } from "./support";

interface Victim {
  privateRole: string;
  serviceRole: string;
  sharedRole: string;
}

const DENIED = "AccessDenied";
const EXTERNAL_ID = "victim-external-id-7c1d";

const trust = (principal: Record<string, string>, condition?: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] });

export const stsTable: IsolationTable<Victim> = {
  service: "sts",
  newClient: (config) => new sts.STSClient(config),
  commands: sts,
  signatureError: "SignatureDoesNotMatch",

  async setup(env) {
    const c = new iam.IAMClient(env.sb.clientConfig(env.victim));
    try {
      const arnOf = async (RoleName: string, AssumeRolePolicyDocument: string) =>
        (await c.send(new iam.CreateRoleCommand({ RoleName, AssumeRolePolicyDocument }))).Role!.Arn!;
      return {
        privateRole: await arnOf("victim-private", trust({ AWS: `arn:aws:iam::${env.victim.accountId}:root` })),
        serviceRole: await arnOf("victim-workflow", trust({ Service: "states.amazonaws.com" })),
        sharedRole: await arnOf("victim-shared", trust({ AWS: `arn:aws:iam::${env.attacker.accountId}:root` }, { StringEquals: { "sts:ExternalId": EXTERNAL_ID } })),
      };
    } finally {
      c.destroy();
    }
  },

  async snapshot(env) {
    const c = new iam.IAMClient(env.sb.clientConfig(env.victim));
    try {
      const roles = await c.send(new iam.ListRolesCommand({}));
      return roles.Roles?.map((r) => [r.RoleName, r.AssumeRolePolicyDocument]);
    } finally {
      c.destroy();
    }
  },

  rows: {
    AssumeRole: (v) => [
      { label: "a role trusting only its own account", input: { RoleArn: v.privateRole, RoleSessionName: "attack" }, expect: DENIED },
      { label: "a role trusting only its own account, signed for another region", region: OTHER_REGION, input: { RoleArn: v.privateRole, RoleSessionName: "attack" }, expect: DENIED },
      { label: "a role trusting a service (the confused deputy's way in)", input: { RoleArn: v.serviceRole, RoleSessionName: "attack" }, expect: DENIED },
      { label: "a role trusting the caller, without its ExternalId", input: { RoleArn: v.sharedRole, RoleSessionName: "attack" }, expect: DENIED },
      { label: "a role trusting the caller, with a wrong ExternalId", input: { RoleArn: v.sharedRole, RoleSessionName: "attack", ExternalId: "guessed-id" }, expect: DENIED },
    ],
  },

  exempt: {
    GetCallerIdentity: "names no resource: it describes the caller",
  },
};
