import { describe, expect, it } from "vitest";
import {
  evaluateJsonPath,
  parseJsonPath,
  renderTargetInput,
  renderTemplate,
  transformerProblem,
} from "@/sandbox/services/events/transform";

const event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING", count: 3, tags: ["a", "b"], nested: { x: 1 }, items: [{ id: 1 }, { id: 2 }] },
};
const info = { ruleArn: "arn:aws:events:us-east-1:123456789012:rule/example", ruleName: "example", ingestionTime: "2015-11-11T21:29:55Z" };
const paths = { instance: "$.detail.instance-id", state: "$.detail.state" };

const at = (path: string) => {
  const segments = parseJsonPath(path);
  if (!segments) throw new Error(`bad path ${path}`);
  return evaluateJsonPath(segments, event);
};

describe("JSONPath subset", () => {
  it("selects by dot names with dashes, indices and wildcards", () => {
    expect(at("$")).toEqual(event);
    expect(at("$.detail.instance-id")).toBe("i-0123456789");
    expect(at("$.detail-type")).toBe("EC2 Instance State-change Notification");
    expect(at("$.resources[0]")).toBe(event.resources[0]);
    expect(at("$.detail.items[*].id")).toEqual([1, 2]);
    expect(at("$.detail['instance-id']")).toBe("i-0123456789");
    expect(at("$.detail.missing")).toBeUndefined();
    expect(at("$.detail.tags[5]")).toBeUndefined();
  });

  it.each(["detail", "$..detail", "$.detail[", "$.detail[?(@.x)]", "$.a b"])("refuses %s", (p) => expect(parseJsonPath(p)).toBeNull());
});

describe("InputTemplate (AWS's documented examples)", () => {
  const render = (InputTemplate: string, InputPathsMap: Record<string, string> = paths) => renderTemplate({ InputTemplate, InputPathsMap }, event, info);

  it("simple string", () => {
    expect(render('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
  });

  it("simple JSON: strings gain quotes outside a string", () => {
    expect(JSON.parse(render('{"instance" : <instance>, "state": <state>}'))).toEqual({ instance: "i-0123456789", state: "RUNNING" });
  });

  it("JSON with variables inside strings, escaped quotes kept", () => {
    const out = render('{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}');
    expect(JSON.parse(out)).toEqual({ instance: "i-0123456789", state: "RUNNING", instanceStatus: 'instance "i-0123456789" is in RUNNING' });
  });

  it("JSON mixing variables and constants in an array", () => {
    expect(JSON.parse(render('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}'))).toEqual({
      instance: "i-0123456789",
      state: [9, "RUNNING", true],
      Transformed: "Yes",
    });
  });

  it("predefined variables", () => {
    const out = JSON.parse(
      render('{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "original": <aws.events.event.json>, "meta": <aws.events.event>, "at": "<aws.events.event.ingestion-time>"}'),
    ) as Record<string, unknown>;
    expect(out.ruleArn).toBe(info.ruleArn);
    expect(out.ruleName).toBe("example");
    expect(out.original).toEqual(event);
    const { detail: _d, ...withoutDetail } = event;
    expect(out.meta).toEqual(withoutDetail);
    expect(out.at).toBe("2015-11-11T21:29:55Z");
    expect(render('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it("numbers, objects and arrays keep their JSON type; inside strings they are escaped text", () => {
    const map = { count: "$.detail.count", nested: "$.detail.nested", tags: "$.detail.tags", ids: "$.detail.items[*].id" };
    const out = JSON.parse(render('{"n": <count>, "o": <nested>, "t": <tags>, "ids": <ids>, "s": "n=<count> o=<nested>"}', map));
    expect(out).toEqual({ n: 3, o: { x: 1 }, t: ["a", "b"], ids: [1, 2], s: 'n=3 o={"x":1}' });
  });

  it("a path that matches nothing: null as a value, nothing inside a string", () => {
    const out = render('{"v": <gone>, "s": "info <gone>"}', { gone: "$.detail.nope" });
    expect(JSON.parse(out)).toEqual({ v: null, s: "info " });
    expect(render('"detail <gone>"', { gone: "$.detail.nope" })).toBe('"detail "');
  });

  it("values with quotes stay valid JSON inside strings", () => {
    const e = { ...event, detail: { msg: 'say "hi"\n' } };
    const out = renderTemplate({ InputTemplate: '{"m": "<msg>", "v": <msg>}', InputPathsMap: { msg: "$.detail.msg" } }, e, info);
    expect(JSON.parse(out)).toEqual({ m: 'say "hi"\n', v: 'say "hi"\n' });
  });
});

describe("what a target receives", () => {
  it("the whole event by default, Input as given, InputPath's selection as JSON", () => {
    expect(JSON.parse(renderTargetInput({}, event, info))).toEqual(event);
    expect(renderTargetInput({ Input: '{"fixed":true}' }, event, info)).toBe('{"fixed":true}');
    expect(JSON.parse(renderTargetInput({ InputPath: "$.detail" }, event, info))).toEqual(event.detail);
    expect(renderTargetInput({ InputPath: "$.detail.state" }, event, info)).toBe('"RUNNING"');
  });
});

describe("transformer validation", () => {
  it("refuses placeholders that are not defined, reserved names and bad paths", () => {
    expect(transformerProblem("t1", { InputTemplate: '"<instance> <x>"', InputPathsMap: paths })).toBe("InputTemplate for target t1 contains invalid placeholder x.");
    expect(transformerProblem("t1", { InputTemplate: '"<aws.events.rule-name>"' })).toBeNull();
    expect(transformerProblem("t1", { InputTemplate: "{}", InputPathsMap: { "aws.events.rule-arn": "$.id" } })).toMatch(/reserved/);
    expect(transformerProblem("t1", { InputTemplate: "{}", InputPathsMap: { a: "detail" } })).toMatch(/invalid JSON path/);
    expect(transformerProblem("t1", { InputTemplate: '{"i": <instance>}', InputPathsMap: paths })).toBeNull();
  });
});
