// Random and malformed input to every EventBridge operation: each call answers or throws an
// AwsError (which the core turns into an AWS-style response); nothing else may escape.
import { describe, expect, it } from "vitest";
import { AwsError } from "@/sandbox/core/contracts";
import { memoryEnvironment, rootContext } from "@/sandbox/core/memory-environment";
import { createEventsService } from "@/sandbox/services/events";

const MEMBERS = [
  "Name", "EventBusName", "EventPattern", "ScheduleExpression", "State", "Description", "RoleArn", "Tags", "Rule", "Targets", "Ids",
  "Entries", "Source", "DetailType", "Detail", "Time", "Resources", "Event", "NamePrefix", "NextToken", "Limit", "ResourceARN",
  "TagKeys", "TargetArn", "Id", "Arn", "Input", "InputPath", "InputTransformer", "InputPathsMap", "InputTemplate", "SqsParameters",
  "MessageGroupId", "Key", "Value", "Force", "RetryPolicy", "DeadLetterConfig", "EventSourceName",
];
const STRINGS = [
  "", "default", "high-value-orders", "bad name", "x".repeat(2000), "rate(5 minutes)", "cron(0 12 * * ? *)", "rate(1 minutes)",
  '{"source":["a"]}', "{", "[]", "null", '{"detail":{"amount":[{"numeric":[">=",1000]}]}}', "$.detail", "$..x", "<a>",
  "arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:lambda:us-east-1:000000000000:function:f", "arn:aws:events:us-east-1:000000000000:rule/r",
  "arn:aws:events:us-east-1:000000000000:event-bus/default", "ENABLED", "DISABLED", "aws.events", "\u0000", "eyJhZnRlciI6MX0",
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function value(rand: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const r = rand();
  if (depth > 3 || r < 0.35) return pick(STRINGS);
  if (r < 0.45) return pick([null, true, false, 0, -1, 1.5, 11, 1e12, Number.MAX_SAFE_INTEGER]);
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 12) }, () => value(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 6); i > 0; i--) o[pick(MEMBERS)] = value(rand, depth + 1);
  return o;
}

describe("EventBridge handlers under random input", () => {
  it("answer or throw AwsError, never anything else", async () => {
    const env = memoryEnvironment();
    const events = createEventsService(env);
    env.register(events);
    const operations = Object.keys(events.definition.operations);
    const rand = rng(20261126);
    const ctx = rootContext();
    let answered = 0;
    for (let i = 0; i < 4000; i++) {
      const op = operations[i % operations.length] as string;
      const input = rand() < 0.1 ? value(rand, 0) : (value(rand, 1) ?? {});
      const opDef = events.definition.operations[op] as unknown as {
        resource?: (i: unknown, c: unknown) => string;
        handler: (i: unknown, c: unknown) => unknown;
      };
      expect(typeof (opDef.resource?.(input, ctx) ?? "*")).toBe("string");
      try {
        await opDef.handler(input, ctx);
        answered++;
      } catch (e) {
        if (!(e instanceof AwsError)) throw new Error(`${op} threw ${String(e)} for ${JSON.stringify(input).slice(0, 300)}`);
        expect(e.status).toBeLessThan(500);
      }
    }
    await env.scheduler.advance(60 * 60_000);
    await events.idle();
    expect(answered).toBeGreaterThan(0);
  });
});
