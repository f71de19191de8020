import { describe, expect, it } from "vitest";
import { decideTopicExists } from "@/checkers/steps/step1-sns-topic";

const ARN = "arn:aws:sns:us-east-1:123456789012:order-events";

describe("step1.topic-exists", () => {
  it("passes when the region has a topic of that name", () => {
    const v = decideTopicExists({ name: "order-events", region: "us-east-1", arn: ARN, topicCount: 1 });
    expect(v.status).toBe("pass");
    expect(v.message).toContain(ARN);
  });

  it("fails when it does not, with the command to create it and the region it looked in", () => {
    const v = decideTopicExists({ name: "order-events", region: "eu-west-1", arn: undefined, topicCount: 2 });
    expect(v.status).toBe("fail");
    expect(v.message).toContain("eu-west-1");
    expect(v.hint).toContain("aws sns create-topic --name order-events");
  });
});
