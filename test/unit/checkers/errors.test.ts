// How failed AWS calls become results: NotFound fails with a hint, AccessDenied is an error
// naming the action, throttling and timeouts say they were retried, and nothing escapes a check.
import { describe, expect, it } from "vitest";
import { ACTION_PROPERTY, actionOf, classifyError } from "@/checkers/errors";
import { resultForError, runCheck, sentence } from "@/checkers/run-check";

const meta = { id: "step2.inventory-exists", title: "Queue exists", resource: "queue inventory-updates", docs: "/module#sqs-dead-letter-queues" };

/** An SDK-shaped service error: name is the AWS code; the middleware tags the action. */
function awsError(name: string, message = "", extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });
}

describe("classifyError", () => {
  it.each([
    ["AWS.SimpleQueueService.NonExistentQueue", "not-found"],
    ["QueueDoesNotExist", "not-found"],
    ["NotFound", "not-found"],
    ["ResourceNotFoundException", "not-found"],
    ["StateMachineDoesNotExist", "not-found"],
    ["AccessDenied", "access-denied"],
    ["AccessDeniedException", "access-denied"],
    ["AuthorizationError", "access-denied"],
    ["InvalidClientTokenId", "credentials"],
    ["ExpiredToken", "credentials"],
    ["ThrottlingException", "throttled"],
    ["Throttling", "throttled"],
    ["TooManyRequestsException", "throttled"],
    ["TimeoutError", "timeout"],
    ["ECONNREFUSED", "unreachable"],
    ["InternalFailure", "other"],
  ])("%s is %s", (code, kind) => {
    expect(classifyError(awsError(code)).kind).toBe(kind);
  });

  it("reads the action from AWS's AccessDenied message first", () => {
    const err = awsError("AccessDenied", "User: arn:aws:sts::1:assumed-role/LabGraderRole/lab-grader-u1 is not authorized to perform: sqs:GetQueueAttributes on resource: arn:aws:sqs:us-east-1:1:q");
    expect(classifyError(err)).toMatchObject({ kind: "access-denied", action: "sqs:GetQueueAttributes" });
  });

  it("falls back to the action the client middleware tagged", () => {
    const err = awsError("AccessDeniedException", "denied", { [ACTION_PROPERTY]: "states:DescribeStateMachine" });
    expect(classifyError(err).action).toBe("states:DescribeStateMachine");
  });

  it("treats HTTP 429 as throttling and 403 as access denied", () => {
    expect(classifyError(Object.assign(new Error("x"), { name: "Weird", $metadata: { httpStatusCode: 429 } })).kind).toBe("throttled");
    expect(classifyError(Object.assign(new Error("x"), { name: "Weird", $metadata: { httpStatusCode: 403 } })).kind).toBe("access-denied");
  });

  it("classifies non-errors without throwing", () => {
    expect(classifyError("boom").kind).toBe("other");
    expect(classifyError(undefined).kind).toBe("other");
  });

  it("names SDK commands as IAM actions", () => {
    expect(actionOf("sqs", "GetQueueUrlCommand")).toBe("sqs:GetQueueUrl");
    expect(actionOf("states", "DescribeStateMachineCommand")).toBe("states:DescribeStateMachine");
  });
});

describe("resultForError", () => {
  it("AccessDenied is an error naming the missing action, with a hint", () => {
    const r = resultForError(meta, awsError("AccessDenied", "denied", { [ACTION_PROPERTY]: "sqs:GetQueueAttributes" }));
    expect(r.status).toBe("error");
    expect(r.message).toContain("sqs:GetQueueAttributes");
    expect(r.message).toContain("queue inventory-updates");
    expect(r.hint).toContain("sqs:GetQueueAttributes");
  });

  it("NotFound is a fail telling the learner to create the resource", () => {
    const r = resultForError(meta, awsError("QueueDoesNotExist", "", { [ACTION_PROPERTY]: "sqs:GetQueueUrl" }));
    expect(r.status).toBe("fail");
    expect(r.hint).toMatch(/Create the queue inventory-updates/);
  });

  it("throttling and timeouts are errors that say 3 tries were made", () => {
    expect(resultForError(meta, awsError("ThrottlingException")).message).toMatch(/3 tries/);
    expect(resultForError(meta, awsError("TimeoutError")).message).toMatch(/3 tries/);
  });

  it("every result ends with a period and keeps the docs link", () => {
    for (const code of ["AccessDenied", "NotFound", "ThrottlingException", "TimeoutError", "ECONNREFUSED", "ExpiredToken", "Boom"]) {
      const r = resultForError(meta, awsError(code));
      expect(r.message.endsWith(".")).toBe(true);
      expect(r.hint?.endsWith(".")).toBe(true);
      expect(r.docs).toBe(meta.docs);
    }
  });
});

describe("runCheck", () => {
  it("turns a throwing decision into an error result instead of throwing", async () => {
    const r = await runCheck(meta, () => {
      throw new TypeError("cannot read properties of undefined");
    });
    expect(r).toMatchObject({ id: meta.id, status: "error" });
    expect(r.message).toContain("cannot read properties of undefined");
  });

  it("turns a rejected AWS call into the classified result", async () => {
    const r = await runCheck(meta, async () => {
      throw awsError("AccessDenied", "User: x is not authorized to perform: sqs:GetQueueUrl on resource: y");
    });
    expect(r.status).toBe("error");
    expect(r.message).toContain("sqs:GetQueueUrl");
  });

  it("adds the id, title and docs to a verdict and a period to its message", async () => {
    const r = await runCheck(meta, () => ({ status: "pass", message: "The queue inventory-updates exists" }));
    expect(r).toEqual({ id: meta.id, title: meta.title, status: "pass", message: "The queue inventory-updates exists.", docs: meta.docs });
  });

  it("drops a hint from a passing result", async () => {
    const r = await runCheck(meta, () => ({ status: "pass", message: "Fine.", hint: "never shown" }));
    expect(r.hint).toBeUndefined();
  });

  it("sentence() leaves a finished sentence alone", () => {
    expect(sentence("Done.")).toBe("Done.");
    expect(sentence(" Done ")).toBe("Done.");
  });
});
