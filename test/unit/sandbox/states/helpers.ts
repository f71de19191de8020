// Test doubles for the services a state machine calls, and a loop that moves the manual clock
// while real child processes run.
import type { RequestContext, ServiceModule } from "@/sandbox/core/contracts";
import type { memoryEnvironment } from "@/sandbox/core/memory-environment";

export interface RecordedCall {
  operation: string;
  input: Record<string, unknown>;
  ctx: RequestContext;
}

/** A fake service whose operations record their calls and answer with `reply`. */
export function recorder(signingName: string, operations: string[], reply: (op: string, input: Record<string, unknown>) => Record<string, unknown> = () => ({})) {
  const calls: RecordedCall[] = [];
  const module: ServiceModule = {
    definition: {
      signingName,
      operations: Object.fromEntries(operations.map((op) => [op, {
        action: `${signingName}:${op}`,
        handler: (input: Record<string, unknown>, ctx: RequestContext) => {
          calls.push({ operation: op, input, ctx });
          return reply(op, input);
        },
      }])) as unknown as ServiceModule["definition"]["operations"],
    },
    resetAccount: () => undefined,
  };
  return { module, calls };
}

/** Advances the manual scheduler a second at a time (Waits) until the execution leaves RUNNING. */
export async function describeUntilDone(env: ReturnType<typeof memoryEnvironment>, executionArn: string, ctx: RequestContext, stepMs = 1000) {
  for (let i = 0; i < 600; i++) {
    await env.scheduler.advance(stepMs);
    const d = await env.call("states", "DescribeExecution", { executionArn }, ctx);
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`execution ${executionArn} still RUNNING`);
}
