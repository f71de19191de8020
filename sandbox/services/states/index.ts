// The Step Functions service of the sandbox: AWS JSON 1.0 (X-Amz-Target AWSStepFunctions.*).
// Executions really run, in the background, through the shared ASL interpreter; see handlers.ts.
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { iamResource } from "./arns";
import { createStatesHandlers } from "./handlers";
import { StatesModel } from "./models";

export function createStatesService(env: ServiceEnvironment): ServiceModule & { idle(): Promise<void> } {
  const model = new StatesModel(env.store);
  const states = createStatesHandlers(env, model);
  states.resumeInterrupted(env.scheduler.now());
  const operations: Record<string, Operation<never, never>> = {};
  for (const [name, handler] of Object.entries(states.handlers)) {
    const resource = (input: Record<string, unknown>, ctx: RequestContext) => iamResource(name, input ?? {}, ctx);
    const op: Operation = { action: `states:${name}`, resource, handler: handler as Operation["handler"] };
    operations[name] = op as unknown as Operation<never, never>;
  }
  return {
    definition: { signingName: "states", targetPrefix: "AWSStepFunctions", jsonVersion: "1.0", operations },
    resetAccount(accountId) {
      states.abortRuns((arn) => arn.split(":")[4] === accountId);
      model.removeAccount(accountId);
    },
    close() {
      // Runs stop where they are; the next start resumes them (see resumeInterrupted).
      states.shutdown();
    },
    idle: states.idle,
  };
}
