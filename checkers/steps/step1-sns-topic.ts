// Step 1: the standard topic exists in the connection's region.
import { findTopicArn, named, topicArns } from "../collectors";
import type { CheckContext } from "../context";
import { runCheck } from "../run-check";
import type { CheckResult, StepChecker, Verdict } from "../types";

export interface TopicFacts {
  name: string;
  region: string;
  /** The topic's ARN from ListTopics; undefined when no topic has that name here. */
  arn: string | undefined;
  /** How many topics the region has, for the message. */
  topicCount: number;
}

export function decideTopicExists(t: TopicFacts): Verdict {
  if (t.arn === undefined) {
    return {
      status: "fail",
      message: `There is no SNS topic ${t.name} in ${t.region} (ListTopics shows ${t.topicCount} other topic${t.topicCount === 1 ? "" : "s"} there)`,
      hint: `Create it with aws sns create-topic --name ${t.name}, in region ${t.region} (check AWS_REGION, and on the sandbox or LocalStack the endpoint URL)`,
      expected: t.name,
      found: null,
    };
  }
  return { status: "pass", message: `The standard SNS topic ${t.name} exists in ${t.region} (${t.arn})`, found: t.arn };
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const name = ctx.step.resources.topic ?? "(unnamed)";
  return [
    await runCheck(
      { id: "step1.topic-exists", title: `SNS topic ${name} exists`, resource: `SNS topic ${name}`, docs: "/module#sns-topics-and-subscriptions" },
      async () => {
        // A standard topic: a FIFO topic's name ends in .fifo, so one named exactly this is standard.
        const arn = await findTopicArn(ctx, named(ctx.step.resources.topic, "topic"));
        return decideTopicExists({ name, region: ctx.region, arn, topicCount: (await topicArns(ctx)).length });
      },
    ),
  ];
}

export const step1: StepChecker = {
  step: 1,
  slug: "sns-topic",
  actions: ["sns:ListTopics"],
  run,
};
