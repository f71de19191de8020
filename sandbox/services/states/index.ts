// The Step Functions service of the sandbox: AWS JSON 1.0 (X-Amz-Target AWSStepFunctions.*).
// Executions really run, in the background, through the shared ASL interpreter; see handlers.ts.
import type { Operation, RequestContext, ServiceEnvironment, ServiceModule } from "@/sandbox/core/contracts";
import { createStatesHandlers } from "./handlers";
import { StatesModel } from "./models";

/** The ARN an operation acts on, for IAM evaluation of assumed-role callers. */
function resourceOf(operation: string): (input: Record<string, unknown>, ctx: RequestContext) => string {
  switch (operation) {
    case "CreateStateMachine":
      return (input, ctx) => `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${String(input.name ?? "")}`;
    case "ListStateMachines":
      return () => "*";
    case "DescribeExecution":
    case "StopExecution":
    case "GetExecutionHistory":
      return (input) => String(input.executionArn ?? "*");
    default:
      return (input) => String(input.stateMachineArn ?? "*");
  }
}

export function createStatesService(env: ServiceEnvironment): ServiceModule & { idle(): Promise<void> } {
  const model = new StatesModel(env.store);
  const states = createStatesHandlers(env, model);
  states.recoverInterrupted(env.scheduler.now());
  const operations: Record<string, Operation<never, never>> = {};
  for (const [name, handler] of Object.entries(states.handlers)) {
    const op: Operation = { action: `states:${name}`, resource: resourceOf(name), handler: handler as Operation["handler"] };
    operations[name] = op as unknown as Operation<never, never>;
  }
  return {
    definition: { signingName: "states", targetPrefix: "AWSStepFunctions", jsonVersion: "1.0", operations },
    resetAccount(accountId) {
      states.abortRuns((arn) => arn.split(":")[4] === accountId);
      model.removeAccount(accountId);
    },
    close() {
      // Runs stop where they are; a restart marks them FAILED (see recoverInterrupted).
      states.shutdown();
    },
    idle: states.idle,
  };
}
