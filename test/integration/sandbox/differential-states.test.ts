// Differential tests, Step Functions: a Pass/Choice/Fail-only order-routing state machine (no
// Lambda: moto cannot run functions) created and executed with the same SDK calls on the sandbox
// and on moto (python3 -m moto.server); the state machine's description and each execution's
// status, output and failure are compared after taking out dates, hosts and account ids.
// moto runs executions only after its /moto-api/config POST, and then StartExecution needs an
// explicit name. Skips with a message where moto is absent.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { both, motoSkipReason, normalise, pollUntil, startTargets, type Target, type Targets } from "@/test/support/moto";

const skip = motoSkipReason("differential-states");

const ROUTING = {
  Comment: "Routes an order by its amount",
  StartAt: "Validate",
  States: {
    Validate: {
      Type: "Choice",
      Choices: [{ Variable: "$.amount", NumericLessThan: 0, Next: "Rejected" }],
      Default: "Classify",
    },
    Classify: {
      Type: "Choice",
      Choices: [{ Variable: "$.amount", NumericGreaterThanEquals: 1000, Next: "Premium" }],
      Default: "Standard",
    },
    Premium: { Type: "Pass", Result: { tier: "premium", shipping: "express" }, ResultPath: "$.route", Next: "Done" },
    Standard: { Type: "Pass", Result: { tier: "standard", shipping: "ground" }, ResultPath: "$.route", Next: "Done" },
    Rejected: { Type: "Fail", Error: "InvalidOrder", Cause: "amount must not be negative" },
    Done: { Type: "Succeed" },
  },
};

const ROLE = (account: string) => `arn:aws:iam::${account}:role/order-workflow-role`;

describe.skipIf(skip)("Step Functions: sandbox and moto run the same Pass/Choice workflow alike", () => {
  let targets: Targets;
  const destroy: { destroy(): void }[] = [];

  beforeAll(async () => {
    targets = await startTargets();
    // Before any state machine exists: moto keeps executable machines in a separate backend.
    await targets.motoServer.enableStepFunctionsExecution();
  });
  afterAll(async () => {
    for (const c of destroy) c.destroy();
    await targets?.close();
  });

  function sfnFor(t: Target) {
    const c = new SFNClient(t.config);
    destroy.push(c);
    return c;
  }

  it("create-state-machine: DescribeStateMachine agrees on name, definition, role, type and status", async () => {
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const sfn = sfnFor(t);
      const created = await sfn.send(new CreateStateMachineCommand({ name: "order-routing", definition: JSON.stringify(ROUTING), roleArn: ROLE(t.account) }));
      const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
      // Left out: loggingConfiguration (AWS and the sandbox answer includeExecutionData: false, moto
      // omits it), revisionId and encryptionConfiguration (each answers one of them).
      return normalise(
        {
          created,
          described: { stateMachineArn: d.stateMachineArn, name: d.name, definition: JSON.parse(d.definition ?? "null") as unknown, roleArn: d.roleArn, type: d.type, status: d.status, creationDate: d.creationDate, tracing: d.tracingConfiguration },
          logLevel: d.loggingConfiguration?.level,
        },
        t,
      );
    });
    expect(sandbox).toEqual(moto);
    expect(sandbox).toMatchObject({
      created: { stateMachineArn: "arn:aws:states:us-east-1:<account>:stateMachine:order-routing", creationDate: "<date>" },
      described: { name: "order-routing", definition: ROUTING, type: "STANDARD", status: "ACTIVE", roleArn: "arn:aws:iam::<account>:role/order-workflow-role" },
      logLevel: "OFF",
    });
  });

  it("start-execution with a name, polled until done: the same status, output or error for 999, 1500 and a negative amount", async () => {
    const inputs = { low: { orderId: "o-999", amount: 999 }, high: { orderId: "o-1500", amount: 1500 }, negative: { orderId: "o-neg", amount: -5 } };
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const sfn = sfnFor(t);
      const results: Record<string, unknown> = {};
      for (const [key, input] of Object.entries(inputs)) {
        // One state machine per execution, and moto reset before each: once any execution has run,
        // moto 5.2.1 answers every later StartExecution with HTTP 500 ("cannot pickle
        // '_thread.RLock' object": it deep-copies the state machine, which by then reaches a lock).
        // The reset is moto's own API, not an AWS call; the sandbox gets the same AWS calls.
        if (t.name === "moto") await targets.motoServer.reset();
        const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `order-routing-${key}`, definition: JSON.stringify(ROUTING), roleArn: ROLE(t.account) }));
        const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${key}`, input: JSON.stringify(input) }));
        const done: DescribeExecutionCommandOutput = await pollUntil(
          () => sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })),
          (d) => d.status !== "RUNNING",
          10_000,
        );
        results[key] = normalise(
          {
            started,
            executionArn: done.executionArn,
            stateMachineArn: done.stateMachineArn,
            name: done.name,
            status: done.status,
            // Outputs are JSON documents; moto writes them with spaces, so they are compared parsed.
            input: JSON.parse(done.input ?? "null") as unknown,
            output: done.output === undefined ? undefined : (JSON.parse(done.output) as unknown),
            error: done.error,
            cause: done.cause,
            dates: [done.startDate, done.stopDate],
          },
          t,
        );
      }
      return results;
    });
    expect(sandbox).toEqual(moto);
    expect(sandbox).toMatchObject({
      low: { status: "SUCCEEDED", name: "run-low", executionArn: "arn:aws:states:us-east-1:<account>:execution:order-routing-low:run-low", output: { ...inputs.low, route: { tier: "standard", shipping: "ground" } }, dates: ["<date>", "<date>"] },
      high: { status: "SUCCEEDED", output: { ...inputs.high, route: { tier: "premium", shipping: "express" } } },
      negative: { status: "FAILED", error: "InvalidOrder", cause: "amount must not be negative" },
    });
  });

  it("invalid definitions: both reject them (the error names differ, see below)", async () => {
    const invalid = {
      notJson: "{not json",
      unknownStateType: JSON.stringify({ StartAt: "A", States: { A: { Type: "Bogus", End: true } } }),
      noStartAt: JSON.stringify({ States: { A: { Type: "Pass", End: true } } }),
    };
    const [sandbox, moto] = await both(targets.sandbox, targets.moto, async (t) => {
      const sfn = sfnFor(t);
      const out: Record<string, { rejected: boolean; status: number | undefined; name: string }> = {};
      let i = 0;
      for (const [key, definition] of Object.entries(invalid)) {
        const r = await sfn.send(new CreateStateMachineCommand({ name: `invalid-${i++}`, definition, roleArn: ROLE(t.account) })).then(
          () => ({ rejected: false, status: 200, name: "" }),
          (e: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ rejected: true, status: e.$metadata?.httpStatusCode, name: e.name }),
        );
        out[key] = r;
      }
      return out;
    });
    for (const key of Object.keys(invalid)) {
      expect({ key, rejected: sandbox[key]?.rejected, status: sandbox[key]?.status }).toEqual({ key, rejected: true, status: 400 });
      expect({ key, rejected: moto[key]?.rejected, status: moto[key]?.status }).toEqual({ key, rejected: true, status: 400 });
      // AWS answers InvalidDefinition, as the sandbox does; moto answers HTTP 400 with `"__type": null`
      // (its ASL parser's message), which the SDK cannot name. So only "both reject" is compared.
      expect(sandbox[key]?.name).toBe("InvalidDefinition");
    }
  });
});
