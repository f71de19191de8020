import { describe, expect, it } from "vitest";
import { canAssumeRole, evaluateAccess, evaluatePolicy, parsePolicy } from "@/semantics/iam-policy";
import type { EvaluationResult, PolicyRequest } from "@/semantics/iam-policy";

const ACCOUNT = "123456789012";
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:order-events`;
const OTHER_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:other-topic`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:shipping-orders`;
const sns = { type: "Service", id: "sns.amazonaws.com" } as const;

function decision(r: EvaluationResult): string {
  if (!r.ok) throw new Error(r.error);
  return r.decision;
}

function reason(r: EvaluationResult): string {
  if (!r.ok) throw new Error(r.error);
  return r.reason;
}

/** One statement with one condition, evaluated against one context value. */
function withCondition(operator: string, key: string, values: unknown, context: PolicyRequest["context"]): string {
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Condition: { [operator]: { [key]: values } } }],
  };
  return decision(
    evaluatePolicy(policy, { principal: { type: "AWS", id: ACCOUNT }, action: "sqs:SendMessage", resource: QUEUE, context }),
  );
}

describe("SNS-to-SQS queue policy with aws:SourceArn", () => {
  const queuePolicy = JSON.stringify({
    Version: "2012-10-17",
    Id: "shipping-orders-policy",
    Statement: [
      {
        Sid: "AllowTopic",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: QUEUE,
        Condition: { ArnEquals: { "aws:SourceArn": TOPIC } },
      },
    ],
  });

  it("allows the topic", () => {
    const r = evaluatePolicy(queuePolicy, { principal: sns, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": TOPIC } });
    expect(r).toMatchObject({ ok: true, decision: "Allow", matchedStatement: { sid: "AllowTopic", index: 0 } });
  });

  it("refuses another topic and says which condition failed", () => {
    const r = evaluatePolicy(queuePolicy, { principal: sns, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": OTHER_TOPIC } });
    expect(decision(r)).toBe("ImplicitDeny");
    expect(reason(r)).toBe(
      `No statement allows sqs:SendMessage on ${QUEUE} for principal sns.amazonaws.com; the statement "AllowTopic" requires aws:SourceArn to equal ${TOPIC} (the request has ${OTHER_TOPIC}).`,
    );
  });

  it("refuses a request without aws:SourceArn and condition keys are case-insensitive", () => {
    expect(decision(evaluatePolicy(queuePolicy, { principal: sns, action: "sqs:SendMessage", resource: QUEUE }))).toBe("ImplicitDeny");
    expect(
      decision(evaluatePolicy(queuePolicy, { principal: sns, action: "SQS:sendmessage", resource: QUEUE, context: { "AWS:SOURCEARN": TOPIC } })),
    ).toBe("Allow");
  });

  it("refuses another service and another queue", () => {
    const other = { type: "Service", id: "events.amazonaws.com" } as const;
    expect(decision(evaluatePolicy(queuePolicy, { principal: other, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": TOPIC } }))).toBe("ImplicitDeny");
    const r = evaluatePolicy(queuePolicy, { principal: sns, action: "sqs:SendMessage", resource: `${QUEUE}-dlq`, context: { "aws:SourceArn": TOPIC } });
    expect(reason(r)).toContain(`allows sqs:SendMessage only on ${QUEUE}`);
  });

  it("treats a wildcard principal with the condition the same way", () => {
    const open = { Version: "2012-10-17", Statement: { Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: QUEUE, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:123456789012:order-*" } } } };
    expect(decision(evaluatePolicy(open, { principal: sns, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": TOPIC } }))).toBe("Allow");
    expect(decision(evaluatePolicy(open, { principal: sns, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": OTHER_TOPIC } }))).toBe("ImplicitDeny");
  });
});

describe("role trust policy with sts:ExternalId", () => {
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TrustGrader",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
      },
    ],
  };
  const grader = { type: "AWS", id: "arn:aws:iam::111122223333:user/grader" } as const;

  it("allows the right ExternalId", () => {
    expect(decision(canAssumeRole(trust, { principal: grader, externalId: "ext-123" }))).toBe("Allow");
  });

  it("refuses a wrong ExternalId", () => {
    const r = canAssumeRole(trust, { principal: grader, externalId: "wrong" });
    expect(decision(r)).toBe("ImplicitDeny");
    expect(reason(r)).toContain('the statement "TrustGrader" requires sts:ExternalId to equal ext-123 (the request has wrong)');
  });

  it("refuses a missing ExternalId", () => {
    const r = canAssumeRole(trust, { principal: grader });
    expect(decision(r)).toBe("ImplicitDeny");
    expect(reason(r)).toContain("(the request has no sts:ExternalId)");
  });

  it("refuses a principal from another account", () => {
    const stranger = { type: "AWS", id: "arn:aws:iam::999999999999:user/grader" } as const;
    expect(decision(canAssumeRole(trust, { principal: stranger, externalId: "ext-123" }))).toBe("ImplicitDeny");
  });

  it("matches a role principal and the sessions assumed from it", () => {
    const roleTrust = { Statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/ops/Grader" }, Action: "sts:AssumeRole" } };
    expect(decision(canAssumeRole(roleTrust, { principal: { type: "AWS", id: "arn:aws:sts::111122223333:assumed-role/Grader/lab-grader-u1" } }))).toBe("Allow");
    expect(decision(canAssumeRole(roleTrust, { principal: { type: "AWS", id: "arn:aws:iam::111122223333:role/ops/Grader" } }))).toBe("Allow");
    expect(decision(canAssumeRole(roleTrust, { principal: { type: "AWS", id: "arn:aws:sts::111122223333:assumed-role/Other/s" } }))).toBe("ImplicitDeny");
    expect(decision(canAssumeRole(roleTrust, { principal: { type: "AWS", id: "111122223333" } }))).toBe("ImplicitDeny");
  });

  it("refuses a trust policy with a Resource", () => {
    const r = canAssumeRole({ Statement: { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*" } }, { principal: grader });
    expect(r).toEqual({ ok: false, error: "MalformedPolicyDocument: Has prohibited field Resource (Statement[0])" });
  });
});

describe("identity policy lacking one action", () => {
  const identity = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["sqs:GetQueueAttributes", "sqs:ListQueues", "sns:Get*"], Resource: "*" }],
  };
  const role = { type: "AWS", id: "arn:aws:sts::123456789012:assumed-role/LabGraderRole/lab-grader-1" } as const;

  it("allows the listed actions, with wildcards and any case", () => {
    expect(decision(evaluatePolicy(identity, { principal: role, action: "sqs:GetQueueAttributes", resource: QUEUE }, { kind: "identity" }))).toBe("Allow");
    expect(decision(evaluatePolicy(identity, { principal: role, action: "SNS:GetTopicAttributes", resource: TOPIC }, { kind: "identity" }))).toBe("Allow");
  });

  it("refuses the missing action and names it", () => {
    const r = evaluatePolicy(identity, { principal: role, action: "sqs:ReceiveMessage", resource: QUEUE }, { kind: "identity" });
    expect(decision(r)).toBe("ImplicitDeny");
    expect(reason(r)).toContain("sqs:ReceiveMessage");
    expect(reason(r)).toMatch(/no statement's Action includes sqs:ReceiveMessage\.$/);
  });

  it("refuses a Principal in an identity policy", () => {
    const r = parsePolicy({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" } }, { kind: "identity" });
    expect(r.ok).toBe(false);
  });
});

describe("deny precedence, NotAction and NotResource", () => {
  const role = { type: "AWS", id: `arn:aws:iam::${ACCOUNT}:role/app` } as const;
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "NoDelete", Effect: "Deny", Action: "sqs:Delete*", Resource: "*" },
      { Sid: "OnlySqsAndSns", Effect: "Deny", NotAction: ["sqs:*", "sns:*", "states:*"], Resource: "*" },
      { Sid: "OnlyLab", Effect: "Deny", Action: "sns:*", NotResource: `arn:aws:sns:us-east-1:${ACCOUNT}:order-*` },
    ],
  };
  it("an explicit deny beats an allow", () => {
    const r = evaluatePolicy(policy, { principal: role, action: "sqs:DeleteQueue", resource: QUEUE });
    expect(r).toMatchObject({ ok: true, decision: "ExplicitDeny", matchedStatement: { sid: "NoDelete", index: 1 } });
    expect(reason(r)).toBe(`The statement "NoDelete" explicitly denies sqs:DeleteQueue on ${QUEUE} for principal arn:aws:iam::${ACCOUNT}:role/app.`);
  });
  it("NotAction denies everything else", () => {
    expect(decision(evaluatePolicy(policy, { principal: role, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }))).toBe("ExplicitDeny");
    expect(decision(evaluatePolicy(policy, { principal: role, action: "sqs:SendMessage", resource: QUEUE }))).toBe("Allow");
  });
  it("NotResource denies outside the listed resources", () => {
    expect(decision(evaluatePolicy(policy, { principal: role, action: "sns:Publish", resource: TOPIC }))).toBe("Allow");
    expect(decision(evaluatePolicy(policy, { principal: role, action: "sns:Publish", resource: OTHER_TOPIC }))).toBe("ExplicitDeny");
  });
  it("resources are case-sensitive and support ?", () => {
    const p = { Statement: { Effect: "Allow", Action: "sqs:*", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-?` } };
    expect(decision(evaluatePolicy(p, { principal: role, action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-1` }))).toBe("Allow");
    expect(decision(evaluatePolicy(p, { principal: role, action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-12` }))).toBe("ImplicitDeny");
    expect(decision(evaluatePolicy(p, { principal: role, action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:QUEUE-1` }))).toBe("ImplicitDeny");
  });
  it("NotPrincipal applies to everyone but the named principal", () => {
    const p = { Statement: { Effect: "Deny", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: "sqs:*", Resource: "*" } };
    expect(decision(evaluatePolicy(p, { principal: role, action: "sqs:SendMessage", resource: QUEUE }))).toBe("ImplicitDeny");
    expect(decision(evaluatePolicy(p, { principal: sns, action: "sqs:SendMessage", resource: QUEUE }))).toBe("ExplicitDeny");
  });
});

describe("condition operators", () => {
  it("StringEquals / StringNotEquals / IgnoreCase", () => {
    expect(withCondition("StringEquals", "aws:username", "alice", { "aws:username": "alice" })).toBe("Allow");
    expect(withCondition("StringEquals", "aws:username", ["bob", "alice"], { "aws:username": "alice" })).toBe("Allow");
    expect(withCondition("StringEquals", "aws:username", "alice", { "aws:username": "Alice" })).toBe("ImplicitDeny");
    expect(withCondition("StringNotEquals", "aws:username", ["bob", "carol"], { "aws:username": "alice" })).toBe("Allow");
    expect(withCondition("StringNotEquals", "aws:username", ["bob", "alice"], { "aws:username": "alice" })).toBe("ImplicitDeny");
    // A negated operator on a missing key holds, as AWS documents.
    expect(withCondition("StringNotEquals", "aws:username", "bob", {})).toBe("Allow");
    expect(withCondition("StringEqualsIgnoreCase", "aws:username", "ALICE", { "aws:username": "alice" })).toBe("Allow");
    expect(withCondition("StringNotEqualsIgnoreCase", "aws:username", "ALICE", { "aws:username": "alice" })).toBe("ImplicitDeny");
  });
  it("StringLike / StringNotLike", () => {
    expect(withCondition("StringLike", "s3:prefix", "home/*", { "s3:prefix": "home/alice" })).toBe("Allow");
    expect(withCondition("StringLike", "s3:prefix", "home/?", { "s3:prefix": "home/ab" })).toBe("ImplicitDeny");
    expect(withCondition("StringNotLike", "s3:prefix", "home/*", { "s3:prefix": "tmp/x" })).toBe("Allow");
    expect(withCondition("StringNotLike", "s3:prefix", "home/*", { "s3:prefix": "home/x" })).toBe("ImplicitDeny");
  });
  it("Arn operators compare part by part", () => {
    expect(withCondition("ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:*", { "aws:SourceArn": TOPIC })).toBe("Allow");
    expect(withCondition("ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:*", { "aws:SourceArn": "arn:aws:sns:us-east-1:999999999999:t" })).toBe("ImplicitDeny");
    expect(withCondition("ArnEquals", "aws:SourceArn", TOPIC, { "aws:SourceArn": TOPIC })).toBe("Allow");
    expect(withCondition("ArnNotEquals", "aws:SourceArn", TOPIC, { "aws:SourceArn": OTHER_TOPIC })).toBe("Allow");
    expect(withCondition("ArnNotLike", "aws:SourceArn", "arn:aws:sns:*:*:order-*", { "aws:SourceArn": TOPIC })).toBe("ImplicitDeny");
    expect(withCondition("ArnEquals", "aws:SourceArn", TOPIC, { "aws:SourceArn": "not-an-arn" })).toBe("ImplicitDeny");
  });
  it("IfExists holds when the key is absent and checks it when present", () => {
    expect(withCondition("StringEqualsIfExists", "aws:username", "alice", {})).toBe("Allow");
    expect(withCondition("StringEqualsIfExists", "aws:username", "alice", { "aws:username": "bob" })).toBe("ImplicitDeny");
    expect(withCondition("ArnLikeIfExists", "aws:SourceArn", "arn:aws:sns:*:*:order-*", {})).toBe("Allow");
    expect(withCondition("StringEquals", "aws:username", "alice", {})).toBe("ImplicitDeny");
  });
  it("Bool", () => {
    expect(withCondition("Bool", "aws:SecureTransport", "true", { "aws:SecureTransport": true })).toBe("Allow");
    expect(withCondition("Bool", "aws:SecureTransport", "true", { "aws:SecureTransport": "false" })).toBe("ImplicitDeny");
    expect(withCondition("Bool", "aws:SecureTransport", false, { "aws:SecureTransport": false })).toBe("Allow");
  });
  it("Numeric operators", () => {
    const ctx = { "s3:max-keys": "10" };
    expect(withCondition("NumericEquals", "s3:max-keys", "10", ctx)).toBe("Allow");
    expect(withCondition("NumericNotEquals", "s3:max-keys", "10", ctx)).toBe("ImplicitDeny");
    expect(withCondition("NumericLessThan", "s3:max-keys", "11", ctx)).toBe("Allow");
    expect(withCondition("NumericLessThan", "s3:max-keys", "10", ctx)).toBe("ImplicitDeny");
    expect(withCondition("NumericLessThanEquals", "s3:max-keys", "10", ctx)).toBe("Allow");
    expect(withCondition("NumericGreaterThan", "s3:max-keys", 9, ctx)).toBe("Allow");
    expect(withCondition("NumericGreaterThanEquals", "s3:max-keys", "11", ctx)).toBe("ImplicitDeny");
    expect(withCondition("NumericEquals", "s3:max-keys", "10", { "s3:max-keys": "ten" })).toBe("ImplicitDeny");
  });
  it("Date operators accept ISO 8601 and epoch seconds", () => {
    const ctx = { "aws:CurrentTime": "2026-06-01T12:00:00Z" };
    expect(withCondition("DateLessThan", "aws:CurrentTime", "2027-01-01T00:00:00Z", ctx)).toBe("Allow");
    expect(withCondition("DateGreaterThan", "aws:CurrentTime", "2027-01-01T00:00:00Z", ctx)).toBe("ImplicitDeny");
    expect(withCondition("DateGreaterThanEquals", "aws:CurrentTime", "1780315200", ctx)).toBe("Allow");
    expect(withCondition("DateEquals", "aws:CurrentTime", "2026-06-01T12:00:00Z", ctx)).toBe("Allow");
    expect(withCondition("DateNotEquals", "aws:CurrentTime", "2026-06-01T12:00:00Z", ctx)).toBe("ImplicitDeny");
    expect(withCondition("DateLessThanEquals", "aws:CurrentTime", "2026-06-01T12:00:00Z", ctx)).toBe("Allow");
  });
  it("Null", () => {
    expect(withCondition("Null", "aws:TokenIssueTime", "true", {})).toBe("Allow");
    expect(withCondition("Null", "aws:TokenIssueTime", "true", { "aws:TokenIssueTime": "x" })).toBe("ImplicitDeny");
    expect(withCondition("Null", "aws:TokenIssueTime", "false", { "aws:TokenIssueTime": "x" })).toBe("Allow");
  });
  it("IpAddress / NotIpAddress", () => {
    expect(withCondition("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.113.7" })).toBe("Allow");
    expect(withCondition("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.114.7" })).toBe("ImplicitDeny");
    expect(withCondition("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", { "aws:SourceIp": "203.0.113.7" })).toBe("Allow");
    expect(withCondition("IpAddress", "aws:SourceIp", "2001:db8::/32", { "aws:SourceIp": "2001:db8::1" })).toBe("Allow");
  });
  it("ForAnyValue / ForAllValues on multi-valued keys", () => {
    const tags = { "aws:TagKeys": ["env", "team"] };
    expect(withCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], tags)).toBe("Allow");
    expect(withCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["cost"], tags)).toBe("ImplicitDeny");
    expect(withCondition("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team", "cost"], tags)).toBe("Allow");
    expect(withCondition("ForAllValues:StringEquals", "aws:TagKeys", ["env"], tags)).toBe("ImplicitDeny");
    // ForAllValues holds for a missing key; ForAnyValue does not.
    expect(withCondition("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {})).toBe("Allow");
    expect(withCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["env"], {})).toBe("ImplicitDeny");
    expect(withCondition("ForAnyValue:StringLike", "aws:TagKeys", ["te*"], tags)).toBe("Allow");
  });
  it("every operator and key in a Condition must hold", () => {
    const policy = {
      Statement: {
        Effect: "Allow", Action: "sqs:SendMessage", Resource: "*",
        Condition: { StringEquals: { "aws:username": "alice", "aws:PrincipalTag/team": "ops" }, Bool: { "aws:SecureTransport": "true" } },
      },
    };
    const req = (context: PolicyRequest["context"]): string =>
      decision(evaluatePolicy(policy, { principal: { type: "AWS", id: ACCOUNT }, action: "sqs:SendMessage", resource: QUEUE, context }));
    expect(req({ "aws:username": "alice", "aws:PrincipalTag/team": "ops", "aws:SecureTransport": true })).toBe("Allow");
    expect(req({ "aws:username": "alice", "aws:PrincipalTag/team": "dev", "aws:SecureTransport": true })).toBe("ImplicitDeny");
    expect(req({ "aws:username": "alice", "aws:PrincipalTag/team": "ops", "aws:SecureTransport": false })).toBe("ImplicitDeny");
  });
  it("policy variables in Resource and condition values", () => {
    const policy = { Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/${aws:username}/*" } };
    const req = (username: string | undefined): string =>
      decision(evaluatePolicy(policy, { principal: { type: "AWS", id: ACCOUNT }, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/alice/x", context: username ? { "aws:username": username } : {} }));
    expect(req("alice")).toBe("Allow");
    expect(req("bob")).toBe("ImplicitDeny");
    expect(req(undefined)).toBe("ImplicitDeny");
  });
});

describe("identity + resource policies", () => {
  const QUEUE_B = "arn:aws:sqs:us-east-1:222222222222:shared";
  const identityAllows = { Statement: { Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" } };
  const resourceAllows = (principal: string) => ({
    Statement: { Effect: "Allow", Principal: { AWS: principal }, Action: "sqs:SendMessage", Resource: QUEUE_B },
  });
  const alice = { type: "AWS", id: "arn:aws:iam::111111111111:user/alice" } as const;
  const local = { type: "AWS", id: "arn:aws:iam::222222222222:user/local" } as const;

  it("same account: either policy allows", () => {
    expect(evaluateAccess({ request: { principal: local, action: "sqs:SendMessage", resource: QUEUE_B }, identityPolicies: [identityAllows] })).toMatchObject({ ok: true, decision: "Allow", crossAccount: false });
    expect(evaluateAccess({ request: { principal: local, action: "sqs:SendMessage", resource: QUEUE_B }, resourcePolicies: [resourceAllows(local.id)] })).toMatchObject({ ok: true, decision: "Allow" });
  });
  it("cross account: both must allow", () => {
    const request = { principal: alice, action: "sqs:SendMessage", resource: QUEUE_B };
    expect(evaluateAccess({ request, identityPolicies: [identityAllows], resourcePolicies: [resourceAllows("111111111111")] })).toMatchObject({ decision: "Allow", crossAccount: true });
    const onlyIdentity = evaluateAccess({ request, identityPolicies: [identityAllows] });
    expect(onlyIdentity).toMatchObject({ decision: "ImplicitDeny", crossAccount: true });
    expect(onlyIdentity.ok && onlyIdentity.reason).toContain("the resource policy does not allow it");
    expect(evaluateAccess({ request, resourcePolicies: [resourceAllows("111111111111")] })).toMatchObject({ decision: "ImplicitDeny" });
  });
  it("a deny in either policy wins", () => {
    const deny = { Statement: { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*" } };
    expect(evaluateAccess({ request: { principal: local, action: "sqs:SendMessage", resource: QUEUE_B }, identityPolicies: [identityAllows], resourcePolicies: [deny] })).toMatchObject({ decision: "ExplicitDeny" });
  });
});

describe("malformed policies never throw", () => {
  const req: PolicyRequest = { principal: { type: "AWS", id: ACCOUNT }, action: "sqs:SendMessage", resource: QUEUE };
  it.each([
    ["bad JSON", "{not json", "Syntax errors in policy"],
    ["no Statement", { Version: "2012-10-17" }, "Missing required field Statement"],
    ["no Effect", { Statement: { Action: "sqs:*", Resource: "*" } }, "Missing required field Effect"],
    ["bad Effect", { Statement: { Effect: "Permit", Action: "sqs:*", Resource: "*" } }, "Invalid effect: Permit"],
    ["no Action", { Statement: { Effect: "Allow", Resource: "*" } }, "Policy statement must contain actions."],
    ["Action without vendor", { Statement: { Effect: "Allow", Action: "SendMessage", Resource: "*" } }, "must be prefaced by a vendor"],
    ["unknown operator", { Statement: { Effect: "Allow", Action: "sqs:*", Resource: "*", Condition: { StringEqualz: { a: "b" } } } }, "Invalid Condition type : StringEqualz"],
    ["unknown field", { Statement: { Effect: "Allow", Action: "sqs:*", Resource: "*", Actions: "x" } }, "Unknown field Actions"],
    ["bad version", { Version: "2020-01-01", Statement: [] }, "legacy parsing"],
    ["null", null, "must be a JSON object"],
    ["a number", 42, "must be a JSON object"],
    ["bad principal", { Statement: { Effect: "Allow", Principal: { AWS: "alice" }, Action: "sqs:*", Resource: "*" } }, "Invalid principal in policy"],
    ["huge", "x".repeat(200_000), "exceeds"],
  ])("%s", (_name, policy, message) => {
    const r = evaluatePolicy(policy as never, req);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
  it("a bad request is an error too", () => {
    expect(evaluatePolicy({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }, { action: 3 } as never).ok).toBe(false);
  });
});

describe("no entry point throws on junk", () => {
  const junk: unknown[] = [undefined, null, 0, "", "{}", [], {}, { Statement: [null] }, { Statement: { Effect: "Allow", Action: [], Resource: 1 } }, { Statement: { Effect: "Allow", Action: "a:b", Resource: "*", Condition: { StringEquals: null } } }];
  const requests: unknown[] = [undefined, null, {}, { principal: null, action: "a:b", resource: "*" }, { principal: { type: "AWS", id: "1" }, action: "a:b", resource: "*", context: { k: { nested: true } } }];
  it("returns ok:false instead", () => {
    for (const policy of junk) {
      for (const request of requests) {
        expect(() => evaluatePolicy(policy as never, request as never)).not.toThrow();
        expect(() => evaluateAccess({ request: request as never, identityPolicies: [policy as never] })).not.toThrow();
        expect(() => canAssumeRole(policy as never, request as never)).not.toThrow();
      }
      expect(() => parsePolicy(policy)).not.toThrow();
    }
    expect(evaluateAccess(null as never)).toMatchObject({ ok: false });
  });
});
