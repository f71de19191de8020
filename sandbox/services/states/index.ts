// The Step Functions service of the sandbox: AWS JSON 1.0 (X-Amz-Target AWSStepFunctions.*).
// Executions really run, in the background, through the shared ASL interpreter; see runner.ts.
import type { ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { operationTable } from "@/sandbox/core/operation-table";
import { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import { iamResource } from "./arns";
import { handlers } from "./handlers";
import type { States } from "./handlers";
import { StatesModel } from "./models";
import { ExecutionRunner } from "./runner";

export function createStatesService(env: ServiceEnvironment): ServiceModule & { idle(): Promise<void> } {
  const model = new StatesModel(env.store);
  const runner = new ExecutionRunner(env, model, new ServiceRoleSessions(env));
  runner.resumeInterrupted(env.scheduler.now());
  const operations = operationTable<States, keyof typeof handlers>({
    prefix: "states",
    service: { env, model, runner },
    handlers,
    resource: iamResource,
  });
  return {
    definition: { signingName: "states", targetPrefix: "AWSStepFunctions", jsonVersion: "1.0", operations },
    resetAccount(accountId) {
      runner.resetAccount(accountId);
      model.removeAccount(accountId);
    },
    close() {
      // Runs stop where they are; the next start resumes them (see resumeInterrupted).
      runner.shutdown();
    },
    idle: () => runner.idle(),
  };
}
