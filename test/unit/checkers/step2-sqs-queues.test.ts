import { describe, expect, it } from "vitest";
import type { QueueInfo } from "@/checkers/collectors";
import {
  decideDlqRetention, decideDlqType, decideMaxReceiveCount, decideQueueExists, decideRedrivePolicy, decideVisibility, parseRedrive, type QueueFacts,
} from "@/checkers/steps/step2-sqs-queues";

const queue = (name: string, attributes: Record<string, string> = {}): QueueInfo => {
  const arn = `arn:aws:sqs:us-east-1:123456789012:${name}`;
  return { name, url: `http://sandbox/123456789012/${name}`, arn, attributes: { QueueArn: arn, ...attributes } };
};

/** The reference solution's inventory-updates, with whatever a test changes. */
function facts(o: { source?: Record<string, string>; redrive?: unknown; dlq?: Record<string, string> | null; dlqName?: string } = {}): QueueFacts {
  const dlq = o.dlq === null ? undefined : queue(o.dlqName ?? "inventory-updates-dlq", { MessageRetentionPeriod: "1209600", ...o.dlq });
  const redrive = o.redrive === undefined ? { deadLetterTargetArn: dlq?.arn ?? "arn:aws:sqs:us-east-1:123456789012:gone", maxReceiveCount: 5 } : o.redrive;
  const attrs: Record<string, string> = { VisibilityTimeout: "30", MessageRetentionPeriod: "345600", ...o.source };
  if (redrive !== null) attrs.RedrivePolicy = typeof redrive === "string" ? redrive : JSON.stringify(redrive);
  const source = queue("inventory-updates", attrs);
  return { name: "inventory-updates", suggestedDlq: "inventory-updates-dlq", source, redrive: parseRedrive(source.attributes.RedrivePolicy), dlq };
}

const missingQueue: QueueFacts = { name: "inventory-updates", suggestedDlq: "inventory-updates-dlq", source: undefined, redrive: { raw: undefined }, dlq: undefined };

describe("step2.<queue>-exists", () => {
  it("passes when the queue exists", () => expect(decideQueueExists(facts()).status).toBe("pass"));
  it("fails when it does not, suggesting the DLQ first", () => {
    const v = decideQueueExists(missingQueue);
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("inventory-updates-dlq");
  });
  it("skips the dependent checks of a missing queue", () => {
    for (const v of [decideVisibility(missingQueue, 30), decideRedrivePolicy(missingQueue), decideDlqType(missingQueue), decideMaxReceiveCount(missingQueue, 5), decideDlqRetention(missingQueue, 1209600)]) {
      expect(v.status).toBe("skip");
    }
  });
});

describe("step2.<queue>-visibility-timeout", () => {
  it("passes at 30 s", () => expect(decideVisibility(facts(), 30).status).toBe("pass"));
  it("fails below 30 s", () => {
    const v = decideVisibility(facts({ source: { VisibilityTimeout: "10" } }), 30);
    expect(v).toMatchObject({ status: "fail", found: 10 });
  });
});

describe("step2.<queue>-redrive-policy", () => {
  it("passes when it names an existing DLQ", () => expect(decideRedrivePolicy(facts()).status).toBe("pass"));
  it("passes with a DLQ of another name: behaviour, not spelling", () => expect(decideRedrivePolicy(facts({ dlqName: "inventory-dead-letters" })).status).toBe("pass"));
  it("fails without a RedrivePolicy", () => expect(decideRedrivePolicy(facts({ redrive: null })).status).toBe("fail"));
  it("fails when the DLQ does not exist", () => {
    const v = decideRedrivePolicy(facts({ dlq: null }));
    expect(v.status).toBe("fail");
    expect(v.message).toContain("does not exist");
  });
  it("fails when it names the DLQ by URL instead of ARN", () => {
    const v = decideRedrivePolicy(facts({ redrive: { deadLetterTargetArn: "http://sandbox/123456789012/inventory-updates-dlq", maxReceiveCount: 5 } }));
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("ARN");
  });
  it("fails for a policy that is not JSON", () => expect(decideRedrivePolicy(facts({ redrive: "{deadLetterTargetArn:" })).status).toBe("fail"));
});

describe("step2.<queue>-dlq-type", () => {
  it("passes for two standard queues", () => expect(decideDlqType(facts()).status).toBe("pass"));
  it("fails for a FIFO DLQ behind a standard queue", () => {
    const v = decideDlqType(facts({ dlqName: "inventory-updates-dlq.fifo", dlq: { FifoQueue: "true" } }));
    expect(v).toMatchObject({ status: "fail", expected: "standard", found: "FIFO" });
  });
});

describe("step2.<queue>-max-receive-count", () => {
  it("passes at 5", () => expect(decideMaxReceiveCount(facts(), 5).status).toBe("pass"));
  it("passes for a string \"5\", as SQS stores it", () => expect(decideMaxReceiveCount(facts({ redrive: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:x", maxReceiveCount: "5" } }), 5).status).toBe("pass"));
  it("passes for another sane value, saying what the lab suggests", () => {
    const v = decideMaxReceiveCount(facts({ redrive: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:x", maxReceiveCount: 10 } }), 5);
    expect(v.status).toBe("pass");
    expect(v.message).toContain("suggests 5");
  });
  it("fails when missing", () => expect(decideMaxReceiveCount(facts({ redrive: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:x" } }), 5).status).toBe("fail"));
  it("fails out of range", () => expect(decideMaxReceiveCount(facts({ redrive: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:x", maxReceiveCount: 0 } }), 5).status).toBe("fail"));
});

describe("step2.<queue>-dlq-retention", () => {
  it("passes at 14 days", () => expect(decideDlqRetention(facts(), 1209600).status).toBe("pass"));
  it("passes when shorter than 14 days but longer than the source", () => expect(decideDlqRetention(facts({ dlq: { MessageRetentionPeriod: "500000" } }), 1209600).status).toBe("pass"));
  it("fails when no longer than the source", () => {
    const v = decideDlqRetention(facts({ dlq: { MessageRetentionPeriod: "345600" } }), 1209600);
    expect(v.status).toBe("fail");
    expect(v.hint).toContain("1209600");
  });
});
