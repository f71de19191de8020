// STS in the sandbox: GetCallerIdentity and AssumeRole. It needs the core's session issuer
// and IAM's roles, so unlike the other services it takes a second argument.
import type { Operation, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { createHandlers } from "./handlers";
import type { StsDeps } from "./handlers";
import { stsQueryCodec } from "./protocol";

export type { StsDeps } from "./handlers";

export function createStsService(_env: ServiceEnvironment, deps: StsDeps): ServiceModule {
  const h = createHandlers(deps);
  const operations: Record<string, Operation<never, never>> = {
    GetCallerIdentity: { action: "sts:GetCallerIdentity", handler: h.GetCallerIdentity } as unknown as Operation<never, never>,
    AssumeRole: {
      action: "sts:AssumeRole",
      resource: (input: Record<string, unknown>) => (typeof input.RoleArn === "string" ? input.RoleArn : "*"),
      handler: h.AssumeRole,
    } as unknown as Operation<never, never>,
  };
  return {
    definition: { signingName: "sts", query: stsQueryCodec, operations },
    // STS keeps no per-account resources; the core drops an account's sessions itself.
    resetAccount: () => {},
  };
}
