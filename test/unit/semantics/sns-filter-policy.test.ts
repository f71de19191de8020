import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  evaluateFilterPolicy,
  explainFilterPolicy,
  validateFilterPolicy,
  type CompiledFilterPolicy,
  type Scope,
  type SnsApi,
} from "@/semantics/sns-filter-policy";

const conformanceDir = path.resolve(__dirname, "../../fixtures/conformance");
const read = (f: string) => JSON.parse(readFileSync(path.join(conformanceDir, f), "utf8")) as unknown;

type AttrCase = {
  name: string;
  filterPolicy: Record<string, unknown>;
  messageAttributes: Record<string, unknown>;
  expected: boolean;
};
type BodyPolicy = { filterPolicy: Record<string, unknown>; cases: { body: unknown; expected: boolean }[] };
const corpus = read("sns-filter-policy.cases.json") as { message_attributes: AttrCase[]; message_body: BodyPolicy[] };
type Snapshot = Record<string, { "recorded-content": Record<string, { Error?: { Message: string; _normalized?: string } }> }>;
const snapshot = read("sns-filter-policy.aws-snapshot.json") as Snapshot;

function compile(policy: unknown, scope: Scope = "MessageAttributes"): CompiledFilterPolicy {
  const r = validateFilterPolicy(policy, scope);
  if (!r.ok) throw new Error(r.error.message);
  return r.policy;
}

// The emulator's evaluator cases sometimes write a bare value where SNS requires an array
// ({"filter": "type1"}); real SNS refuses such a policy ("\"key_a\" must be an object or an
// array", recorded in the snapshot). Those cases test evaluation, so wrap the bare values.
function asSnsPolicy(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = v === null || typeof v !== "object" ? [v] : v;
  return out;
}

describe("SNS conformance corpus: message attributes", () => {
  it("has the 69 cases", () => expect(corpus.message_attributes).toHaveLength(69));
  corpus.message_attributes.forEach((c, i) => {
    it(`#${i} ${c.name} → ${c.expected}`, () => {
      const policy = compile(asSnsPolicy(c.filterPolicy));
      expect(evaluateFilterPolicy(policy, { attributes: c.messageAttributes })).toBe(c.expected);
      // and the same through the JSON text SNS actually receives
      const again = compile(JSON.stringify(asSnsPolicy(c.filterPolicy)));
      expect(evaluateFilterPolicy(again, { attributes: c.messageAttributes })).toBe(c.expected);
    });
  });
});

describe("SNS conformance corpus: message body", () => {
  corpus.message_body.forEach((p, i) => {
    p.cases.forEach((c, j) => {
      it(`policy #${i} case #${j} → ${c.expected}`, () => {
        const policy = compile(p.filterPolicy, "MessageBody");
        expect(evaluateFilterPolicy(policy, { body: JSON.stringify(c.body) })).toBe(c.expected);
        expect(evaluateFilterPolicy(policy, { body: c.body })).toBe(c.expected);
      });
    });
  });
});

// The snapshot records AWS's answers but not always the policy sent; the policies below are the
// ones the recording test sent (localstack tests/aws/services/sns/test_sns_filter_policy.py, and
// for the cidr cases the policy implied by the message text).
type ErrorCase = { test: string; key: string; policy: unknown; scope?: Scope; api: SnsApi };
const sub = "Subscribe" as const;
const set = "SetSubscriptionAttributes" as const;
const many = (n: number) => Array.from({ length: n }, (_, i) => `value${i}`);
const errorCases: ErrorCase[] = [
  { test: "test_validate_policy", key: "error-condition-list", policy: { key: [["value"]] }, api: sub },
  { test: "test_validate_policy", key: "error-condition-operator", policy: { key: [{ "wrong-operator": true }] }, api: sub },
  { test: "test_validate_policy", key: "error-condition-two-operators", policy: { key: [{ suffix: "value", prefix: "value2" }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-empty-array", policy: { key: [] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-is-numeric", policy: { key: [{ suffix: 100 }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-is-none", policy: { key: [{ suffix: null }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-is-not-list-and-operator", policy: { key: { suffix: "value" } }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-empty-list", policy: { key: [{ suffix: [] }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-list-wrong-type", policy: { key: [{ suffix: ["test", "test2"] }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-is-not-list-two-ops", policy: { key: { suffix: "value", prefix: "value" } }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-is-not-list-and-no-operator", policy: { key: { "not-an-operator": "value" } }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-type", policy: { key: [{ cidr: ["bad-filter"] }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-cidr-str", policy: { key: [{ cidr: "bad-filter" }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-cidr-str-slash", policy: { key: [{ cidr: "bad-filter/64" }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-cidr-str-slash-2", policy: { key: [{ cidr: "bad-/64filter" }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-cidr-v4", policy: { key: [{ cidr: "xx.11.xx/8" }] }, api: sub },
  { test: "test_validate_policy_string_operators", key: "error-condition-bad-cidr-v6", policy: { key: [{ cidr: "xxxx:db8:1234:1a00::/64" }] }, api: sub },
  ...(
    [
      ["error-numeric-empty", []],
      ["error-numeric-wrong-operator", ["operator"]],
      ["error-numeric-operator-order", [1, "<="]],
      ["error-numeric-type", ["=", "000"]],
      ["error-numeric-missing-value", [">="]],
      ["error-numeric-wrong-range-order", ["<", 100, ">", 10]],
      ["error-numeric-wrong-range-operators", [">=", 1, ">", 2]],
      ["error-numeric-wrong-value-order", [">", 3, "<", 1]],
      ["error-numeric-missing-range-value", [">", 20, "<="]],
      ["error-numeric-missing-range-operator", [">", 20, 30]],
      ["error-numeric-wrong-second-range-operator", [">", 20, "test"]],
      ["error-numeric-wrong-range-value-1-type", [">", "20", "<", "30"]],
      ["error-numeric-wrong-range-value-2-type", [">", 20, "<", "30"]],
      ["error-numeric-too-many-range", [">", 20, "<", 30, "<", 50]],
    ] as const
  ).map(([key, numeric]) => ({ test: "test_validate_policy_numeric_operator", key, policy: { key: [{ numeric }] }, api: sub })),
  { test: "test_validate_policy_exists_operator", key: "error-condition-none", policy: { key: [{ exists: null }] }, api: sub },
  { test: "test_validate_policy_exists_operator", key: "error-condition-string", policy: { key: [{ exists: "no" }] }, api: sub },
  { test: "test_policy_complexity", key: "error-complexity-in-one-condition", policy: { key: many(151) }, api: sub },
  { test: "test_policy_complexity", key: "error-complexity-in-two-conditions", policy: { key1: many(100), key2: many(51) }, api: sub },
  {
    test: "test_policy_complexity",
    key: "error-complexity-too-many-fields",
    policy: { key1: ["value1"], key2: ["value2"], key3: ["value3"], key4: ["value4"], key5: ["value5"], key6: ["value6"] },
    api: sub,
  },
  {
    test: "test_policy_complexity_with_or",
    key: "error-complexity-or-flat",
    policy: {
      source: ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"] },
        { metricType: ["MetricType", "TestType", "TestType2", "TestType3"], $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4] }] },
      ],
    },
    api: sub,
  },
  {
    test: "test_policy_complexity_with_or",
    key: "error-complexity-or-nested",
    scope: "MessageBody",
    policy: {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency", "TestValue"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: {
        scope: ["Service", "Test"],
        $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change", "TestValue", "TestValue2"] }],
      },
    },
    api: sub,
  },
  { test: "test_sub_filter_policy_nested_property", key: "sub-filter-policy-nested-error", policy: { object: { key: [{ prefix: "auto-" }] } }, api: set },
  {
    test: "test_sub_filter_policy_nested_property_constraints",
    key: "sub-filter-policy-nested-error-too-many-combinations",
    scope: "MessageBody",
    policy: {
      key_a: { key_b: { key_c: ["value_one", "value_two", "value_three", "value_four"] } },
      key_d: { key_e: ["value_one", "value_two", "value_three"] },
      key_f: ["value_one", "value_two", "value_three"],
    },
    api: set,
  },
  {
    test: "test_sub_filter_policy_nested_property_constraints",
    key: "sub-filter-policy-max-attr-keys",
    scope: "MessageBody",
    policy: { key_a: ["value_one"], key_b: ["value_two"], key_c: ["value_three"], key_d: ["value_four"], key_e: ["value_five"], key_f: ["value_six"] },
    api: set,
  },
  { test: "test_sub_filter_policy_nested_property_constraints", key: "sub-filter-policy-rule-no-list", scope: "MessageBody", policy: { key_a: "value_one" }, api: set },
  { test: "test_validate_policy_nested_anything_but_operator", key: "error-condition-wrong-operator", policy: { key: [{ "anything-but": { "wrong-operator": null } }] }, api: sub },
  { test: "test_validate_policy_nested_anything_but_operator", key: "error-condition-anything-but-suffix", policy: { key: [{ "anything-but": { suffix: "test" } }] }, api: sub },
  { test: "test_validate_policy_nested_anything_but_operator", key: "error-condition-anything-but-exists", policy: { key: [{ "anything-but": { exists: false } }] }, api: sub },
  { test: "test_validate_policy_nested_anything_but_operator", key: "error-condition-anything-but-prefix-wrong-type", policy: { key: [{ "anything-but": { prefix: false } }] }, api: sub },
];

function recorded(test: string, key: string): string {
  const entry = Object.entries(snapshot).find(([k]) => k.endsWith(`::${test}`));
  const err = entry?.[1]["recorded-content"][key]?.Error;
  if (!err) throw new Error(`no recorded error ${test}/${key}`);
  // AWS appends Jackson's source location to parse-time errors; the first line is the reason.
  return err._normalized ?? (err.Message.split("\n")[0] as string);
}

describe("SNS InvalidParameter messages recorded from AWS", () => {
  it("covers every recorded filter-policy error", () => {
    const recordedKeys = Object.entries(snapshot).flatMap(([test, v]) =>
      Object.entries(v["recorded-content"])
        .filter(([, r]) => r?.Error && /FilterPolicy|[Ff]ilter policy/.test(r.Error.Message) && !/FilterPolicyScope/.test(r.Error.Message))
        .map(([k]) => `${test.split("::").pop()}/${k}`),
    );
    expect(errorCases.map((c) => `${c.test}/${c.key}`).sort()).toEqual(recordedKeys.sort());
  });
  for (const c of errorCases) {
    it(`${c.test} / ${c.key}`, () => {
      const want = recorded(c.test, c.key);
      for (const input of [c.policy, JSON.stringify(c.policy)]) {
        const r = validateFilterPolicy(input, c.scope ?? "MessageAttributes", { api: c.api });
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe("InvalidParameter");
          expect(r.error.message).toBe(want);
        }
      }
    });
  }
  it("FilterPolicyScope must be one of the two scopes", () => {
    const r = validateFilterPolicy({ a: ["b"] }, "RandomValue");
    expect(r).toEqual({
      ok: false,
      error: { code: "InvalidParameter", message: recorded("test_set_subscription_filter_policy_scope", "sub-attrs-filter-scope-error") },
    });
  });
  it("accepts what AWS accepted", () => {
    // exactly 150 combinations, with nested $or
    expect(
      validateFilterPolicy({
        source: ["aws.cloudwatch", "aws.events", "aws.test"],
        $or: [
          { metricName: ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3", "TestVal4"] },
          { metricType: ["MetricType", "TestType", "TestType2", "TestType3"], $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4, 5, 6, 7] }] },
        ],
      }).ok,
    ).toBe(true);
    for (const p of [{ key: [{ "anything-but": { prefix: "test-" } }] }, { key: [{ "anything-but": ["test", "test2"] }] }, { key: [{ "anything-but": "test" }] }]) {
      expect(validateFilterPolicy(p, "MessageAttributes").ok).toBe(true);
    }
    expect(validateFilterPolicy({ object: { key: [{ prefix: "auto-" }] } }, "MessageBody").ok).toBe(true);
  });
  it("uses the SetSubscriptionAttributes prefix when asked", () => {
    const r = validateFilterPolicy({ key: [] }, "MessageAttributes", { api: "SetSubscriptionAttributes" });
    expect(r).toMatchObject({ ok: false, error: { message: "Invalid parameter: FilterPolicy: Empty arrays are not allowed" } });
  });
});

// Deliveries recorded from real SNS in the snapshot, replayed here.
describe("SNS deliveries recorded from AWS", () => {
  const num = (v: string) => ({ DataType: "Number", StringValue: v });
  it("numeric range on a Number attribute (test_filter_policy)", () => {
    const p = compile({ attr1: [{ numeric: [">", 0, "<=", 100] }] });
    expect(evaluateFilterPolicy(p, { attributes: { attr1: num("99") } })).toBe(true);
    expect(evaluateFilterPolicy(p, { attributes: { attr1: num("111") } })).toBe(false);
    // null or anything-but does not match a message without the attribute
    const q = compile({ attr1: [null, { "anything-but": "whatever" }] });
    expect(evaluateFilterPolicy(q, { attributes: {} })).toBe(false);
  });
  it("exists true/false (test_exists_filter_policy)", () => {
    const yes = compile({ store: [{ exists: true }] });
    const no = compile({ store: [{ exists: false }] });
    expect(evaluateFilterPolicy(yes, { attributes: { store: num("99"), def: num("99") } })).toBe(true);
    expect(evaluateFilterPolicy(yes, { attributes: { attr1: num("111") } })).toBe(false);
    expect(evaluateFilterPolicy(no, { attributes: { def: num("99") } })).toBe(true);
    expect(evaluateFilterPolicy(no, { attributes: { store: num("99"), def: num("99") } })).toBe(false);
  });
  it("String.Array attributes (test_exists_filter_policy_attributes_array)", () => {
    const p = compile({ store: ["value1"] });
    expect(evaluateFilterPolicy(p, { attributes: { store: { DataType: "String", StringValue: "value1" } } })).toBe(true);
    expect(evaluateFilterPolicy(p, { attributes: { store: { DataType: "String.Array", StringValue: '["value1","value2"]' } } })).toBe(true);
    expect(evaluateFilterPolicy(p, { attributes: { store: { DataType: "String.Array", StringValue: '["value2","value3"]' } } })).toBe(false);
  });
  it("nested body policy (test_filter_policy_on_message_body)", () => {
    const p = compile(
      { object: { key: [{ prefix: "auto-" }, "hardcodedvalue"], nested_key: [{ exists: false }] }, test: [{ exists: false }] },
      "MessageBody",
    );
    const ok = [{ object: { key: "auto-test" } }, { object: { key: "hardcodedvalue" } }];
    const notOk = [
      { object: { key: "test-auto" } },
      { object: { key: "auto-test" }, test: "just-exists" },
      { object: { key: "auto-test", nested_key: "just-exists" } },
      { object: { test: "auto-test" } },
      { test: "auto-test" },
    ];
    for (const b of ok) expect(evaluateFilterPolicy(p, { body: JSON.stringify(b) })).toBe(true);
    for (const b of notOk) expect(evaluateFilterPolicy(p, { body: JSON.stringify(b) })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: "Regular string message" })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: JSON.stringify("Regular string message") })).toBe(false);
  });
  it("dotted keys (test_filter_policy_on_message_body_dot_attribute)", () => {
    const p = compile({ "object.nested": ["string.value"] }, "MessageBody");
    expect(evaluateFilterPolicy(p, { body: '{"object": {"nested": "string.value"}}' })).toBe(true);
    expect(evaluateFilterPolicy(p, { body: '{"object.nested": "string.value"}' })).toBe(true);
    expect(evaluateFilterPolicy(p, { body: '{"object": {"nested": "test-auto"}}' })).toBe(false);
    const deep = compile({ "object.nested.test": ["string.value"] }, "MessageBody");
    for (const b of [
      { object: { nested: { test: "string.value" } } },
      { "object.nested.test": "string.value" },
      { "object.nested": { test: "string.value" } },
      { object: { "nested.test": "string.value" } },
    ]) {
      expect(evaluateFilterPolicy(deep, { body: b })).toBe(true);
    }
    expect(evaluateFilterPolicy(deep, { body: { object: { nested: { test: "string.notvalue" } } } })).toBe(false);
  });
  it("arrays in the body (test_filter_policy_on_message_body_array_attributes)", () => {
    const q1 = compile({ headers: { "route-to": ["queue1"] } }, "MessageBody");
    const bodies = [["queue3"], ["queue1"], ["queue2"], ["queue1", "queue2"]].map((r) => ({ headers: { "route-to": r } }));
    expect(bodies.map((b) => evaluateFilterPolicy(q1, { body: b }))).toEqual([false, true, false, true]);
  });
  it("arrays of objects (test_filter_policy_on_message_body_array_of_object_attributes)", () => {
    const p = compile({ Records: { s3: { object: { key: [{ prefix: "auto-" }] } }, eventName: [{ prefix: "ObjectCreated:" }] } }, "MessageBody");
    const rec = (eventName: string, key: string) => ({ eventSource: "aws:s3", eventName, s3: { object: { key, size: 17 } } });
    const multiple = {
      Records: [
        { eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { object: [[{ key: "auto-insurance-2314.xml", size: 17 }]] } },
        rec("ObjectRemoved:Delete", "home-insurance-2314.xml"),
      ],
    };
    expect(evaluateFilterPolicy(p, { body: multiple })).toBe(true);
    expect(evaluateFilterPolicy(p, { body: { Records: [rec("ObjectRemoved:Delete", "auto-insurance-2314.xml")] } })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: { Records: [rec("ObjectCreated:Put", "home-insurance-2314.xml")] } })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: { Records: [rec("ObjectCreated:Put", "auto-insurance-2314.xml")] } })).toBe(true);
  });
  it("$or in the body (test_filter_policy_on_message_body_or_attribute: 5 of 12 delivered)", () => {
    const p = compile(
      {
        $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
        detail: { scope: ["Service"], $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change"] }] },
      },
      "MessageBody",
    );
    const messages: [unknown, boolean][] = [
      [{ metricName: "CPUUtilization", detail: { scope: "aws.cloudwatch", type: "CloudWatch Alarm State Change" } }, false],
      [{ metricName: "CPUUtilization", detail: { scope: "Service", type: "CPUUtilization" } }, false],
      [{ metricName: "CPUUtilization", detail: { type: "CloudWatch Alarm State Change" } }, false],
      [{ metricName: "CPUUtilization", detail: { scope: "Service" } }, false],
      [{ metricName: "CPUUtilization", scope: "Service" }, false],
      [{ metricName: "CPUUtilization", detail: { scope: "Service", source: "aws.cloudwatch" } }, true],
      [{ metricName: "ReadLatency", detail: { scope: "Service", source: "aws.cloudwatch" } }, true],
      [{ namespace: "AWS/EC2", detail: { scope: "Service", source: "aws.cloudwatch" } }, true],
      [{ namespace: "AWS/ES", detail: { scope: "Service", source: "aws.cloudwatch" } }, true],
      [{ metricName: "CPUUtilization", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } }, true],
      [{ metricName: "AWS/EC2", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } }, false],
      [{ namespace: "CPUUtilization", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } }, false],
    ];
    for (const [b, want] of messages) expect(evaluateFilterPolicy(p, { body: b })).toBe(want);
  });
});

describe("the lab's subscriptions", () => {
  const shipping = compile('{"order_value":[{"numeric":[">=",1000]}],"shipping_type":["express","priority"]}');
  const inventory = compile('{"event_type":["order_created","order_updated"]}');
  const msg = (value: string, type: string, dataType = "Number") => ({
    attributes: {
      order_value: { DataType: dataType, StringValue: value },
      shipping_type: { DataType: "String", StringValue: type },
    },
  });

  it("shipping receives 1000 and 1500 with express or priority", () => {
    for (const v of ["1000", "1500"]) for (const t of ["express", "priority"]) expect(evaluateFilterPolicy(shipping, msg(v, t))).toBe(true);
  });
  it("shipping does not receive 999, standard, or order_value sent as a String", () => {
    expect(evaluateFilterPolicy(shipping, msg("999", "express"))).toBe(false);
    expect(evaluateFilterPolicy(shipping, msg("1500", "standard"))).toBe(false);
    expect(evaluateFilterPolicy(shipping, msg("1500", "express", "String"))).toBe(false);
  });
  it("explains the String-typed order_value", () => {
    const e = explainFilterPolicy(shipping, msg("1500", "express", "String"));
    expect(e).toMatchObject({ matched: false, key: "order_value" });
    if (!e.matched) expect(e.reason).toMatch(/DataType String.*only Number attributes/);
    expect(explainFilterPolicy(shipping, msg("1500", "standard"))).toMatchObject({ matched: false, key: "shipping_type" });
    expect(explainFilterPolicy(shipping, { attributes: {} })).toMatchObject({ matched: false, key: "order_value" });
    expect(explainFilterPolicy(shipping, msg("1000", "express"))).toEqual({ matched: true });
  });
  it("inventory receives order_created and order_updated, not order_cancelled", () => {
    const ev = (t: string) => ({ attributes: { event_type: { DataType: "String", StringValue: t } } });
    expect(evaluateFilterPolicy(inventory, ev("order_created"))).toBe(true);
    expect(evaluateFilterPolicy(inventory, ev("order_updated"))).toBe(true);
    expect(evaluateFilterPolicy(inventory, ev("order_cancelled"))).toBe(false);
    expect(evaluateFilterPolicy(inventory, { attributes: {} })).toBe(false);
  });
  it("accepts the notification form {Type, Value}", () => {
    expect(evaluateFilterPolicy(shipping, {
      attributes: { order_value: { Type: "Number", Value: "1200" }, shipping_type: { Type: "String", Value: "priority" } },
    })).toBe(true);
  });
});

// From the AWS documentation ("Amazon SNS subscription filter policies", "Attribute-based and
// payload-based filtering"), for what the corpus does not cover.
describe("documented behaviour beyond the corpus", () => {
  const s = (v: string) => ({ DataType: "String", StringValue: v });
  it("numeric equality and ranges only on Number attributes", () => {
    const p = compile({ price_usd: [{ numeric: ["=", 301.5] }] });
    expect(evaluateFilterPolicy(p, { attributes: { price_usd: { DataType: "Number", StringValue: "301.50" } } })).toBe(true);
    expect(evaluateFilterPolicy(p, { attributes: { price_usd: s("301.5") } })).toBe(false);
    const exact = compile({ price_usd: [301.5] });
    expect(evaluateFilterPolicy(exact, { attributes: { price_usd: { DataType: "Number", StringValue: "301.5" } } })).toBe(true);
  });
  it("anything-but with a numeric list and with prefix", () => {
    const n = compile({ price: [{ "anything-but": [100, 500] }] });
    const num = (v: string) => ({ attributes: { price: { DataType: "Number", StringValue: v } } });
    expect(evaluateFilterPolicy(n, num("100"))).toBe(false);
    expect(evaluateFilterPolicy(n, num("101"))).toBe(true);
    const p = compile({ event: [{ "anything-but": { prefix: "order-" } }] });
    expect(evaluateFilterPolicy(p, { attributes: { event: s("order-created") } })).toBe(false);
    expect(evaluateFilterPolicy(p, { attributes: { event: s("product-created") } })).toBe(true);
  });
  it("Binary attributes are not compared", () => {
    const p = compile({ a: [{ exists: true }] });
    expect(evaluateFilterPolicy(p, { attributes: { a: { DataType: "Binary", BinaryValue: "AAA=" } } })).toBe(false);
  });
  it("cidr on an attribute", () => {
    const p = compile({ source_ip: [{ cidr: "10.0.0.0/24" }] });
    expect(evaluateFilterPolicy(p, { attributes: { source_ip: s("10.0.0.7") } })).toBe(true);
    expect(evaluateFilterPolicy(p, { attributes: { source_ip: s("10.1.0.7") } })).toBe(false);
  });
  it("a policy of {} accepts everything", () => {
    expect(evaluateFilterPolicy(compile({}), {})).toBe(true);
  });
  it("wildcard and equals-ignore-case inside prefix are EventBridge-only", () => {
    expect(validateFilterPolicy({ a: [{ wildcard: "x*" }] }, "MessageAttributes")).toMatchObject({
      ok: false,
      error: { message: "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wildcard" },
    });
  });
});

describe("bad input never throws", () => {
  it("refuses malformed JSON, wrong types and deep nesting with a message", () => {
    const bad = (p: unknown, scope: Scope = "MessageBody") => {
      const r = validateFilterPolicy(p, scope);
      expect(r.ok).toBe(false);
      return r.ok ? "" : r.error.message;
    };
    expect(bad("{'a': 1}")).toMatch(/^Invalid parameter: Attributes Reason: FilterPolicy: Unexpected character/);
    expect(bad("[1]")).toMatch(/Filter is not an object/);
    expect(bad(42)).toMatch(/Filter is not an object/);
    expect(bad(undefined)).toMatch(/Filter is not an object/);
    expect(bad(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toMatch(/nested deeper than 64/);
    let deep: unknown = ["x"];
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(bad(deep)).toMatch(/nested deeper than 64/);
    expect(bad(`{"a":["${"x".repeat(300_000)}"]}`)).toMatch(/larger than 256 KB/);
  });
  it("evaluates odd messages as no match", () => {
    const p = compile({ a: ["x"] });
    expect(evaluateFilterPolicy(p, {})).toBe(false);
    expect(evaluateFilterPolicy(p, { attributes: { a: null } as never })).toBe(false);
    expect(evaluateFilterPolicy(p, { attributes: { a: { DataType: "String.Array", StringValue: "not json" } } })).toBe(false);
    const b = compile({ a: ["x"] }, "MessageBody");
    expect(evaluateFilterPolicy(b, { body: "{" })).toBe(false);
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(evaluateFilterPolicy(b, { body: { a: deep } })).toBe(false);
  });
});

describe("String.Array attributes", () => {
  const arr = (...v: unknown[]) => ({ attributes: { customer_interests: { DataType: "String.Array", StringValue: JSON.stringify(v) } } });
  it("exact, prefix and numeric conditions match element-wise", () => {
    expect(evaluateFilterPolicy(compile({ customer_interests: ["rugby", "tennis"] }), arr("rugby", "football"))).toBe(true);
    expect(evaluateFilterPolicy(compile({ customer_interests: [{ prefix: "bas" }] }), arr("rugby", "baseball"))).toBe(true);
    expect(evaluateFilterPolicy(compile({ customer_interests: [{ numeric: [">", 10] }] }), arr(5, 20))).toBe(true);
    expect(evaluateFilterPolicy(compile({ customer_interests: [{ numeric: [">", 10] }] }), arr("20"))).toBe(false);
  });
  it("anything-but matches only when no element is listed (current AWS documentation)", () => {
    const p = compile({ customer_interests: [{ "anything-but": ["rugby", "tennis"] }] });
    expect(evaluateFilterPolicy(p, arr("baseball", "football"))).toBe(true);
    expect(evaluateFilterPolicy(p, arr("rugby", "baseball"))).toBe(false);
    expect(evaluateFilterPolicy(p, arr())).toBe(false);
  });
});

// "Key matching in Amazon SNS" (attribute-key-matching.html).
describe("exists, as the key-matching page documents it", () => {
  it('"exists": false does not match a message without any attributes', () => {
    const p = compile({ store: [{ exists: false }] });
    expect(evaluateFilterPolicy(p, { attributes: {} })).toBe(false);
    expect(evaluateFilterPolicy(p, {})).toBe(false);
    expect(evaluateFilterPolicy(p, { attributes: { other: { DataType: "String", StringValue: "x" } } })).toBe(true);
  });
  it('"exists": true needs a non-null, non-empty value in the body', () => {
    const p = compile({ store: [{ exists: true }] }, "MessageBody");
    expect(evaluateFilterPolicy(p, { body: { store: "fans" } })).toBe(true);
    expect(evaluateFilterPolicy(p, { body: { store: null } })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: { store: "" } })).toBe(false);
    expect(evaluateFilterPolicy(p, { body: { customer_interests: ["baseball"] } })).toBe(false);
    const absent = compile({ store: [{ exists: false }] }, "MessageBody");
    expect(evaluateFilterPolicy(absent, { body: { store: null } })).toBe(true);
    expect(evaluateFilterPolicy(absent, { body: { store: "fans" } })).toBe(false);
  });
});

describe("never throws on arbitrary input (seeded fuzz)", () => {
  let seed = 54321;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const keys = ["a", "b", "$or", "prefix", "numeric", "anything-but", "exists", "cidr", "suffix", "equals-ignore-case"];
  const gen = (d: number): unknown => {
    const r = rnd();
    if (d > 4 || r < 0.3) return pick<unknown>(["x", "", 0, 1e10, 2.5, true, null, "10.0.0.0/8", ">", "<="]);
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rnd() * 3); i >= 0; i--) o[pick(keys)] = gen(d + 1);
    return o;
  };
  const attr = () => ({ DataType: pick(["String", "Number", "String.Array", "Binary", "Odd"]), StringValue: pick(["x", "12", "[1,\"x\"]", "{", ""]) });
  it("validates and evaluates 3000 random policies and messages", () => {
    for (let i = 0; i < 3000; i++) {
      const p = gen(0);
      const scope = pick<Scope>(["MessageAttributes", "MessageBody"]);
      const r = validateFilterPolicy(p, scope);
      expect(validateFilterPolicy(JSON.stringify(p) ?? "", scope).ok).toBe(r.ok);
      if (r.ok) {
        const m = { attributes: { a: attr(), b: attr() }, body: pick([JSON.stringify(gen(0)), gen(0), "not json"]) };
        expect(typeof evaluateFilterPolicy(r.policy, m)).toBe("boolean");
        expect(typeof explainFilterPolicy(r.policy, m).matched).toBe("boolean");
      }
    }
  });
});
