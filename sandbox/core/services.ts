// The wired services, indexed the ways requests find them: by signing name, by
// X-Amz-Target, by query Action, by REST route.
import type { Operation, ServiceDefinition, ServiceModule } from "./contracts";
import type { CompiledRoute } from "./protocols/rest-json";
import { compileRoutes } from "./protocols/rest-json";
import type { CodeFamily } from "./auth-errors";

export interface WiredService {
  module: ServiceModule;
  def: ServiceDefinition;
  operations: Map<string, Operation>;
  routes: CompiledRoute[];
  /** Which error-code family this service uses for failures outside its operations. */
  family: CodeFamily;
  /** Largest request body accepted, in bytes. */
  maxBody: number;
}

const MiB = 1024 * 1024;
// Lambda's CreateFunction carries a base64 zip (AWS allows 50 MiB zipped, ~67 MiB encoded).
const BODY_LIMITS: Record<string, number> = { lambda: 70 * MiB };
export const DEFAULT_BODY_LIMIT = 2 * MiB;

export function wireServices(modules: readonly ServiceModule[]): Map<string, WiredService> {
  const out = new Map<string, WiredService>();
  for (const module of modules) {
    const def = module.definition;
    out.set(def.signingName, {
      module,
      def,
      // A Map keeps lookups of request-supplied names away from Object.prototype.
      operations: new Map(Object.entries(def.operations)),
      routes: compileRoutes(def.rest ?? []),
      family: def.query ? "query" : "json",
      maxBody: BODY_LIMITS[def.signingName] ?? DEFAULT_BODY_LIMIT,
    });
  }
  return out;
}
