// The ServiceEnvironment the running sandbox gives each service: the SQLite store, real timers,
// in-process calls to other services, and the outbound-address policy with real DNS.
import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import type { RequestContext, ServiceEnvironment } from "./contracts";
import { AwsError } from "./contracts";
import type { DurableStore } from "./contracts";
import type { ClosableScheduler } from "./scheduler";
import type { WiredService } from "./services";
import type { RoleDirectory } from "./identity";
import { authorize } from "./authorize";
import { checkUrl } from "@/semantics/net";
import type { OutboundPolicy } from "@/semantics/net";

export interface EnvironmentDeps {
  store: DurableStore;
  scheduler: ClosableScheduler;
  options: ServiceEnvironment["options"];
  outbound: OutboundPolicy;
  /** Filled in once every service is constructed (services receive the environment first). */
  services: () => Map<string, WiredService>;
  roles: () => RoleDirectory;
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

export function createEnvironment(deps: EnvironmentDeps): ServiceEnvironment {
  return {
    store: deps.store,
    scheduler: deps.scheduler,
    options: deps.options,
    newRequestId: () => randomUUID(),
    checkOutbound: (url) => checkUrl(url, resolveAll, deps.outbound),
    async call(signingName: string, operation: string, input: Record<string, unknown>, ctx: RequestContext) {
      const service = deps.services().get(signingName);
      const op = service?.operations.get(operation);
      if (!service || !op) throw new AwsError("InvalidAction", `The sandbox has no operation ${signingName}:${operation}.`, 400);
      // Service principals check resource policies themselves; a role acting through a
      // service (not used today) would still be held to its own policies.
      authorize(deps.roles(), signingName, op, input, ctx);
      const out = await op.handler(input, ctx);
      return (out ?? {}) as Record<string, unknown>;
    },
  };
}
