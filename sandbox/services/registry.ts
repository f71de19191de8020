// Every service the sandbox provides, constructed in dependency order. IAM comes first because
// its model is the role directory the core (enforcement) and STS (AssumeRole) read.
import type { ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import type { SessionIssuer } from "@/sandbox/core/accounts";
import type { RoleDirectory } from "@/sandbox/core/identity";
import { createIamService } from "./iam";
import { createStsService } from "./sts";
import { createSqsService } from "./sqs";
import { createSnsService } from "./sns";
import { createEventsService } from "./events";
import { createStatesService } from "./states";
import { createLambdaService } from "./lambda";

export interface CoreHooks {
  sessions: SessionIssuer;
}

export interface ServiceSet {
  modules: ServiceModule[];
  roles: RoleDirectory;
}

export function createServices(env: ServiceEnvironment, hooks: CoreHooks): ServiceSet {
  const iam = createIamService(env);
  const roles = iam.roles;
  const modules: ServiceModule[] = [
    iam,
    createStsService(env, { roles: () => roles, sessions: hooks.sessions }),
    createSqsService(env),
    createSnsService(env),
    createEventsService(env),
    createStatesService(env),
    createLambdaService(env),
  ];
  return { modules, roles };
}
