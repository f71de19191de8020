import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLab } from "@/lib/content/lab";

const REAL = path.resolve("labs/order-system");

/** A copy of the real lab with one file changed, to prove the loader refuses it. */
function brokenCopy(file: string, change: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-content-"));
  const lab = path.join(dir, "order-system");
  fs.cpSync(REAL, lab, { recursive: true });
  const target = path.join(lab, file);
  fs.writeFileSync(target, change(fs.readFileSync(target, "utf8")));
  return lab;
}

describe("the order-system lab", () => {
  it("loads six valid steps with the names and values of the architecture", async () => {
    const lab = await loadLab("order-system");
    expect(lab.steps.map((s) => `${s.step}-${s.slug}`)).toEqual(["1-sns-topic", "2-sqs-queues", "3-fan-out", "4-eventbridge-rule", "5-step-functions", "6-end-to-end"]);
    const [s1, s2, s3, s4, s5, s6] = lab.steps;
    expect(s1!.resources.topic).toBe("order-events");
    expect(s2!.resources.queues).toEqual(["inventory-updates", "shipping-orders"]);
    expect(s2!.resources.dlqs).toEqual(["inventory-updates-dlq", "shipping-orders-dlq"]);
    expect(s2!.expect).toMatchObject({ minVisibilityTimeout: 30, dlqRetention: 1_209_600 });
    expect(s2!.expect.maxReceiveCount).toBeGreaterThanOrEqual(1);
    expect(s3!.resources).toMatchObject({ topic: "order-events", queues: ["inventory-updates", "shipping-orders"] });
    expect(s4!.resources).toMatchObject({ rule: "high-value-orders", bus: "default", function: "premium-order-processor" });
    expect(s4!.expect.threshold).toBe(1000);
    expect(s5!.resources).toMatchObject({
      stateMachine: "order-processing",
      functions: ["validate-order", "check-inventory", "reserve-payment", "ship-express", "ship-standard"],
      topics: ["order-notifications", "order-failures"],
    });
    expect(s6!.resources.stateMachine).toBe("order-processing");
    for (const step of lab.steps) expect(step.hints.length).toBeGreaterThanOrEqual(2);
  });

  it("gives every step a goal, CLI, console and Terraform instructions; step 6 ends with clean-up", async () => {
    const lab = await loadLab("order-system");
    for (const step of lab.steps) {
      for (const heading of ["Goal", "What to build", "With the AWS CLI", "In the console", "With Terraform (reference)"]) {
        expect(step.html, `step ${step.step}: ${heading}`).toContain(`>${heading}</h2>`);
      }
      expect(step.html).toContain('data-lang="bash"');
      expect(step.html).toContain('data-lang="hcl"');
    }
    const last = lab.steps[5]!;
    expect(last.html).toMatch(/>Clean up<\/h2>[\s\S]*delete/);
  });

  it("shows the reference state-machine definition in step 5 from the solution file itself", async () => {
    const lab = await loadLab("order-system");
    expect(lab.steps[4]!.html).toContain("solution/order-processing.asl.json");
    const definition = JSON.parse(fs.readFileSync(path.join(REAL, "solution/order-processing.asl.json"), "utf8"));
    expect(lab.steps[4]!.html).toContain(definition.StartAt);
  });

  const broken: [string, string, (t: string) => string, RegExp][] = [
    ["a missing hints list", "steps/02-sqs-queues.md", (t) => t.replace(/^hints:[\s\S]*?(?=^---$)/m, ""), /02-sqs-queues\.md: invalid front matter: hints/],
    ["a step number that disagrees with the file name", "steps/03-fan-out.md", (t) => t.replace(/^step: 3$/m, "step: 4"), /03-fan-out\.md: the file name must be 04-fan-out\.md/],
    ["an unknown front-matter key", "steps/01-sns-topic.md", (t) => t.replace(/^slug:/m, "colour: blue\nslug:"), /01-sns-topic\.md: invalid front matter/],
    ["a maxReceiveCount out of range", "steps/02-sqs-queues.md", (t) => t.replace(/maxReceiveCount: \d+/, "maxReceiveCount: 5000"), /expect\.maxReceiveCount/],
    ["front matter that is not YAML", "steps/04-eventbridge-rule.md", (t) => t.replace(/^title: /m, "title: [unclosed "), /04-eventbridge-rule\.md: front matter is not valid YAML/],
    ["an include of a missing file", "steps/05-step-functions.md", (t) => `${t}\n{{include solution/nope.json}}\n`, /include "solution\/nope\.json" does not exist/],
    ["an include that climbs out of the lab", "steps/05-step-functions.md", (t) => `${t}\n{{include ../../package.json}}\n`, /is outside/],
    ["a diagram that does not exist", "steps/06-end-to-end.md", (t) => `${t}\n![A picture](diagram:missing-one)\n`, /diagram "missing-one" has no file/],
  ];
  for (const [what, file, change, message] of broken) {
    it(`refuses ${what}, naming the file`, async () => {
      await expect(loadLab("order-system", brokenCopy(file, change))).rejects.toThrow(message);
    });
  }

  it("refuses a lab with a step missing", async () => {
    const dir = brokenCopy("lab.md", (t) => t);
    fs.rmSync(path.join(dir, "steps/04-eventbridge-rule.md"));
    await expect(loadLab("order-system", dir)).rejects.toThrow(/must have steps 1,2,3,4,5,6; found 1,2,3,5,6/);
  });
});
