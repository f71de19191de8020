import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  compileEventPattern,
  explainEventMatch,
  matchEvent,
  testEventPattern,
  type CompiledPattern,
} from "@/semantics/event-pattern";

const conformanceDir = path.resolve(__dirname, "../../fixtures/conformance");

type Case = {
  name: string;
  expect: "match" | "nomatch" | "error";
  event: Record<string, unknown>;
  pattern: unknown;
  awsError?: { code: string; message: string };
};

const cases = JSON.parse(readFileSync(path.join(conformanceDir, "eventbridge-patterns.cases.json"), "utf8")) as Case[];

function compile(p: unknown): CompiledPattern {
  const r = compileEventPattern(p);
  if (!r.ok) throw new Error(`unexpected compile error: ${r.error.message}`);
  return r.pattern;
}

const envelope = {
  version: "0",
  id: "1",
  account: "123456789012",
  region: "us-east-1",
  time: "2026-11-26T12:00:00Z",
  resources: [],
};

describe("EventBridge conformance corpus (recorded against real EventBridge)", () => {
  it("has the 155 recorded cases", () => {
    expect(cases).toHaveLength(155);
  });

  for (const c of cases) {
    it(`${c.name} (${c.expect})`, () => {
      // Both the parsed pattern and its JSON text must give the same answer.
      for (const input of [c.pattern, JSON.stringify(c.pattern)]) {
        const r = compileEventPattern(input);
        if (c.expect === "error") {
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.error.code).toBe("InvalidEventPatternException");
            expect(r.error.message).toBe(c.awsError?.message);
          }
        } else {
          expect(r.ok, r.ok ? "" : r.error.message).toBe(true);
          if (r.ok) expect(matchEvent(r.pattern, c.event)).toBe(c.expect === "match");
        }
      }
      // The TestEventPattern shape agrees too.
      const t = testEventPattern(JSON.stringify(c.pattern), JSON.stringify(c.event));
      if (c.expect === "error") expect(t).toEqual({ error: c.awsError });
      else expect(t).toEqual({ result: c.expect === "match" });
    });
  }
});

describe("the lab's high-value-orders rule", () => {
  const pattern = compile({
    source: ["com.myapp.orders"],
    "detail-type": ["OrderCreated"],
    detail: { amount: [{ numeric: [">=", 1000] }] },
  });
  const order = (amount: number, extra: Record<string, unknown> = {}) => ({
    ...envelope,
    source: "com.myapp.orders",
    "detail-type": "OrderCreated",
    detail: { orderId: "o-1001", amount, status: "confirmed" },
    ...extra,
  });

  it("matches orders of 1000 and 1500", () => {
    expect(matchEvent(pattern, order(1000))).toBe(true);
    expect(matchEvent(pattern, order(1500))).toBe(true);
  });
  it("rejects 999, another source and another detail-type", () => {
    expect(matchEvent(pattern, order(999))).toBe(false);
    expect(matchEvent(pattern, order(1500, { source: "com.myapp.billing" }))).toBe(false);
    expect(matchEvent(pattern, order(1500, { "detail-type": "OrderUpdated" }))).toBe(false);
  });
  it("does not treat a numeric string as a number", () => {
    expect(matchEvent(pattern, { ...order(0), detail: { amount: "1500" } })).toBe(false);
  });
  it("accepts an added status: confirmed condition", () => {
    const p = compile({
      source: ["com.myapp.orders"],
      "detail-type": ["OrderCreated"],
      detail: { amount: [{ numeric: [">=", 1000] }], status: ["confirmed"] },
    });
    expect(matchEvent(p, order(1500))).toBe(true);
    expect(matchEvent(p, { ...order(1500), detail: { amount: 1500, status: "pending" } })).toBe(false);
  });
  it("explains which field failed", () => {
    const e = explainEventMatch(pattern, order(999));
    expect(e.matched).toBe(false);
    if (!e.matched) expect(e.failedPaths).toEqual(["detail.amount"]);
  });
});

// Cases from the AWS documentation ("Content filtering in Amazon EventBridge event patterns",
// "Arrays in Amazon EventBridge event patterns") that the corpus does not cover.
describe("documented behaviour beyond the corpus", () => {
  const ev = (detail: unknown, extra: Record<string, unknown> = {}) => ({
    ...envelope,
    source: "aws.ec2",
    "detail-type": "EC2 Instance State-change Notification",
    detail,
    ...extra,
  });

  it("numeric equality ignores the number's spelling", () => {
    const p = compile({ detail: { x: [300] } });
    expect(matchEvent(p, ev({ x: 300.0 }))).toBe(true);
    expect(matchEvent(p, ev({ x: 3e2 }))).toBe(true);
    expect(matchEvent(p, ev({ x: "300" }))).toBe(false);
  });
  it("numeric ranges with open and closed ends", () => {
    const p = compile({ detail: { x: [{ numeric: [">", 0, "<=", 5] }] } });
    expect([0, 0.5, 5, 5.1].map((x) => matchEvent(p, ev({ x })))).toEqual([false, true, true, false]);
    expect(matchEvent(compile({ detail: { x: [{ numeric: ["=", 3.018e2] }] } }), ev({ x: 301.8 }))).toBe(true);
  });
  it("numbers beyond ±5e9 never match numeric conditions and are refused in patterns", () => {
    expect(matchEvent(compile({ detail: { x: [{ numeric: [">", 0] }] } }), ev({ x: 6e9 }))).toBe(false);
    const r = compileEventPattern({ detail: { x: [{ numeric: [">", 6e9] }] } });
    expect(r.ok).toBe(false);
  });
  it("prefix / suffix with equals-ignore-case", () => {
    expect(matchEvent(compile({ detail: { s: [{ prefix: { "equals-ignore-case": "EventB" } }] } }), ev({ s: "eventbridge" }))).toBe(true);
    expect(matchEvent(compile({ detail: { f: [{ suffix: { "equals-ignore-case": ".png" } }] } }), ev({ f: "A.PNG" }))).toBe(true);
    expect(matchEvent(compile({ detail: { f: [{ suffix: ".png" }] } }), ev({ f: "A.PNG" }))).toBe(false);
  });
  it("anything-but on a missing field does not match, on null it does", () => {
    const p = compile({ detail: { state: [{ "anything-but": ["stopped"] }] } });
    expect(matchEvent(p, ev({}))).toBe(false);
    expect(matchEvent(p, ev({ state: null }))).toBe(true);
    expect(matchEvent(p, ev({ state: "running" }))).toBe(true);
  });
  it("exists matches leaves only", () => {
    const yes = compile({ detail: { state: [{ exists: true }] } });
    const no = compile({ detail: { state: [{ exists: false }] } });
    expect(matchEvent(yes, ev({ state: { nested: 1 } }))).toBe(false);
    expect(matchEvent(no, ev({ state: { nested: 1 } }))).toBe(true);
    expect(matchEvent(yes, ev({ state: ["a"] }))).toBe(true);
    expect(matchEvent(no, ev({ other: 1 }))).toBe(true);
  });
  it("arrays in the event match when the intersection is non-empty", () => {
    const p = compile({ resources: ["arn:a", "arn:b"] });
    expect(matchEvent(p, ev({}, { resources: ["arn:x", "arn:b"] }))).toBe(true);
    expect(matchEvent(p, ev({}, { resources: ["arn:x"] }))).toBe(false);
    expect(matchEvent(p, ev({}, { resources: [["arn:a"]] }))).toBe(true); // nested arrays flatten
  });
  it("fields in one array element must match together (array-consistent)", () => {
    const p = compile({ detail: { items: { sku: ["A"], qty: [1] } } });
    expect(matchEvent(p, ev({ items: [{ sku: "A", qty: 1 }] }))).toBe(true);
    expect(matchEvent(p, ev({ items: [{ sku: "A", qty: 2 }, { sku: "B", qty: 1 }] }))).toBe(false);
    expect(matchEvent(p, ev({ items: [{ sku: "B", qty: 2 }, { sku: "A", qty: 1 }] }))).toBe(true);
  });
  it("cidr ranges and plain IP values", () => {
    const p = compile({ detail: { ip: [{ cidr: "10.0.0.0/24" }] } });
    expect(matchEvent(p, ev({ ip: "10.0.0.7" }))).toBe(true);
    expect(matchEvent(p, ev({ ip: "10.0.1.7" }))).toBe(false);
    const v6 = compile({ detail: { ip: ["2001:db8::1"] } });
    expect(matchEvent(v6, ev({ ip: "2001:0db8:0000:0000:0000:0000:0000:0001" }))).toBe(true);
    expect(compileEventPattern({ detail: { ip: [{ cidr: "10.0.0.0/33" }] } })).toMatchObject({
      ok: false,
      error: { message: "Event pattern is not valid. Reason: IPv4 mask bits must be < 32" },
    });
  });
  it("wildcards", () => {
    const p = compile({ detail: { key: [{ wildcard: "dir/*.png" }] } });
    expect(matchEvent(p, ev({ key: "dir/a/b.png" }))).toBe(true);
    expect(matchEvent(p, ev({ key: "dir/a.jpg" }))).toBe(false);
    expect(matchEvent(compile({ detail: { key: [{ wildcard: "a\\*b" }] } }), ev({ key: "a*b" }))).toBe(true);
    expect(compileEventPattern({ detail: { key: [{ wildcard: "a\\b" }] } })).toMatchObject({
      ok: false,
      error: { message: "Event pattern is not valid. Reason: Invalid escape character at pos 2" },
    });
  });
  it("$or at several levels", () => {
    const p = compile({
      source: ["aws.ec2"],
      $or: [{ detail: { state: ["running"] } }, { detail: { code: [{ numeric: [">", 10] }] } }],
    });
    expect(matchEvent(p, ev({ state: "running" }))).toBe(true);
    expect(matchEvent(p, ev({ code: 11 }))).toBe(true);
    expect(matchEvent(p, ev({ state: "stopped", code: 1 }))).toBe(false);
    expect(compileEventPattern({ $or: [{ a: ["x"] }] })).toMatchObject({
      ok: false,
      error: { message: "Event pattern is not valid. Reason: There must have at least 2 Objects in $or relationship." },
    });
  });
  it("structure errors", () => {
    const msg = (p: unknown) => {
      const r = compileEventPattern(p);
      return r.ok ? "ok" : r.error.message.replace("Event pattern is not valid. Reason: ", "");
    };
    expect(msg({})).toBe("Empty objects are not allowed");
    expect(msg([])).toBe("Filter is not an object");
    expect(msg({ a: [[1]] })).toBe("Match value must be String, number, true, false, or null");
    expect(msg({ a: [{}] })).toBe("Match expression name not found");
    expect(msg({ a: [{ prefix: "x", suffix: "y" }] })).toBe("Only one key allowed in match expression");
    expect(msg({ a: [{ "anything-but": ["x", 1] }] })).toBe(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    );
    expect(msg({ a: [{ "anything-but": { foo: "x" } }] })).toBe("Unsupported anything-but pattern: foo");
  });
});

describe("JSON text handling", () => {
  const msg = (t: string) => {
    const r = compileEventPattern(t);
    return r.ok ? "ok" : r.error.message;
  };
  // The snapshot keys carry the pattern text sent: test_invalid_json_event_pattern[<text>].
  const snapshot = JSON.parse(
    readFileSync(path.join(conformanceDir, "eventbridge-patterns.aws-snapshot.json"), "utf8"),
  ) as Record<string, { "recorded-content": Record<string, { Error?: { Code: string; Message: string } }> }>;
  const invalidJson = Object.entries(snapshot).filter(([k]) => k.includes("test_invalid_json_event_pattern["));
  it("the snapshot has the four malformed-pattern recordings", () => expect(invalidJson).toHaveLength(4));
  for (const [key, entry] of invalidJson) {
    const text = key.slice(key.indexOf("[") + 1, -1);
    it(`reports malformed JSON as AWS did: ${text}`, () => {
      const want = entry["recorded-content"]["invalid-pattern"]?.Error;
      expect(want?.Code).toBe("InvalidEventPatternException");
      expect(msg(text)).toBe(want?.Message);
    });
  }
  it("refuses deep nesting and oversized patterns without throwing", () => {
    const deep = `${'{"a":'.repeat(100)}["x"]${"}".repeat(100)}`;
    expect(msg(deep)).toMatch(/nested deeper than 64 levels/);
    const huge = `${'{"a":'.repeat(100_000)}["x"]${"}".repeat(100_000)}`;
    expect(msg(huge)).toMatch(/longer than 4096/);
    let obj: unknown = ["x"];
    for (let i = 0; i < 100_000; i++) obj = { a: obj };
    expect(compileEventPattern(obj).ok).toBe(false);
    expect(msg(JSON.stringify({ a: ["x".repeat(5000)] }))).toMatch(/longer than 4096/);
    expect(compileEventPattern(undefined).ok).toBe(false);
    expect(compileEventPattern(null).ok).toBe(false);
    expect(compileEventPattern(42).ok).toBe(false);
  });
  it("matching a deep or odd event never throws", () => {
    const p = compile({ a: { b: ["x"] } });
    let ev: unknown = "x";
    for (let i = 0; i < 100_000; i++) ev = [ev];
    expect(matchEvent(p, { a: { b: ev } })).toBe(false);
    expect(matchEvent(p, null)).toBe(false);
    expect(matchEvent(p, "text")).toBe(false);
    expect(matchEvent(compile({ constructor: [{ exists: true }] }), {})).toBe(false);
  });
});

describe("testEventPattern", () => {
  const pattern = JSON.stringify({ source: ["com.myapp.orders"] });
  const event = { ...envelope, source: "com.myapp.orders", "detail-type": "OrderCreated", detail: {} };
  it("answers like the API", () => {
    expect(testEventPattern(pattern, JSON.stringify(event))).toEqual({ result: true });
    expect(testEventPattern(pattern, JSON.stringify({ ...event, source: "x" }))).toEqual({ result: false });
  });
  it("requires the event envelope", () => {
    const recordedError = (
      JSON.parse(readFileSync(path.join(conformanceDir, "eventbridge-patterns.aws-snapshot.json"), "utf8")) as Record<
        string,
        { "recorded-content": Record<string, { Error: { Code: string; Message: string } }> }
      >
    )["tests/aws/services/events/test_events_patterns.py::TestEventPattern::test_plain_string_payload"]?.[
      "recorded-content"
    ]["plain-string-payload-exc"]?.Error;
    const invalid = { error: { code: recordedError?.Code, message: recordedError?.Message } };
    for (const f of ["id", "account", "source", "time", "region", "detail-type"]) {
      const e: Record<string, unknown> = { ...event };
      delete e[f];
      expect(testEventPattern(pattern, JSON.stringify(e))).toEqual(invalid);
    }
    expect(testEventPattern(pattern, "plain string")).toEqual(invalid);
    expect(testEventPattern(pattern, "[1,2]")).toEqual(invalid);
  });
});

describe("EventBridge number precision (six decimal places, ±5e9)", () => {
  const ev = (x: unknown) => ({ ...envelope, source: "s", "detail-type": "d", detail: { x } });
  it("compares numbers truncated to six decimals", () => {
    expect(matchEvent(compile({ detail: { x: [{ numeric: [">", 1000] }] } }), ev(1000.0000001))).toBe(false);
    expect(matchEvent(compile({ detail: { x: [{ numeric: [">", 1000] }] } }), ev(1000.000001))).toBe(true);
    expect(matchEvent(compile({ detail: { x: [1000] } }), ev(1000.0000001))).toBe(true);
    expect(matchEvent(compile({ detail: { x: [{ "anything-but": [1000] }] } }), ev(1000.0000001))).toBe(false);
  });
  it("refuses out-of-range numbers in numeric patterns with event-ruler's text", () => {
    expect(compileEventPattern({ detail: { x: [{ numeric: ["<", 5e9 + 1] }] } })).toMatchObject({
      ok: false,
      error: { message: "Event pattern is not valid. Reason: Value must be between -5.0E9 and 5.0E9, inclusive" },
    });
    // an exact number beyond the range is still compared literally (e.g. an account id)
    expect(matchEvent(compile({ detail: { x: [123456789012] } }), ev(123456789012))).toBe(true);
  });
});

describe("never throws on arbitrary input (seeded fuzz)", () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const keys = ["a", "b", "$or", "prefix", "numeric", "anything-but", "exists", "cidr", "wildcard", "suffix", "equals-ignore-case", "a.b"];
  const gen = (d: number): unknown => {
    const r = rnd();
    if (d > 4 || r < 0.3) return pick<unknown>(["x", "", 0, -1, 1e10, 3.5, true, false, null, "10.0.0.0/8", "*a*", ">", "<=", "="]);
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rnd() * 3); i >= 0; i--) o[pick(keys)] = gen(d + 1);
    return o;
  };
  it("compiles and matches 3000 random patterns and events", () => {
    for (let i = 0; i < 3000; i++) {
      const p = gen(0);
      const r = compileEventPattern(p);
      const t = compileEventPattern(JSON.stringify(p) ?? "");
      expect(r.ok).toBe(t.ok);
      if (r.ok) {
        expect(typeof matchEvent(r.pattern, gen(0))).toBe("boolean");
        expect(typeof explainEventMatch(r.pattern, gen(0)).matched).toBe("boolean");
      }
      const text = (JSON.stringify(p) ?? "").slice(0, Math.floor(rnd() * 40));
      expect(typeof compileEventPattern(text).ok).toBe("boolean");
    }
  });
});
