// STS in the sandbox: GetCallerIdentity and AssumeRole. It needs the core's session issuer
// and IAM's roles, so unlike the other services it takes a second argument.
import type { ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { operationTable } from "@/sandbox/core/operation-table";
import { handlers } from "./handlers";
import type { Sts } from "./handlers";
import { stsQueryCodec } from "./protocol";

export type { Sts } from "./handlers";

export function createStsService(_env: ServiceEnvironment, sts: Sts): ServiceModule {
  const operations = operationTable<Sts, keyof typeof handlers>({
    prefix: "sts",
    service: sts,
    handlers,
    // AssumeRole is authorized on the role it names; GetCallerIdentity has no resource.
    resource: (name, input) => (name === "AssumeRole" && typeof input.RoleArn === "string" ? input.RoleArn : "*"),
  });
  return {
    definition: { signingName: "sts", query: stsQueryCodec, operations },
    // STS keeps no per-account resources; the core drops an account's sessions itself.
    resetAccount: () => {},
  };
}
