// Query-protocol parameters to nested inputs, and the XML writer.
import { describe, expect, it } from "vitest";
import { nestParams, parseForm } from "@/sandbox/core/query-params";
import { escapeXml, toXml } from "@/sandbox/core/xml";
import { AwsError } from "@/sandbox/core/contracts";

describe("query parameters", () => {
  it("decodes form bodies (plus as space, percent escapes)", () => {
    expect(parseForm("Action=CreateRole&RoleName=a+b&Doc=%7B%22x%22%3A1%7D&Empty=&Flag")).toEqual({ Action: "CreateRole", RoleName: "a b", Doc: '{"x":1}', Empty: "", Flag: "" });
  });

  it("refuses broken percent-encoding with MalformedQueryString", () => {
    expect(() => parseForm("a=%E0%A4%A")).toThrow(AwsError);
  });

  it("nests member lists, numbered lists and entry maps", () => {
    const nested = nestParams({
      Action: "X", Version: "1",
      "Tags.member.2.Key": "k2", "Tags.member.2.Value": "v2", "Tags.member.1.Key": "k1", "Tags.member.1.Value": "v1",
      "Attribute.1.Name": "DelaySeconds", "Attribute.1.Value": "5",
      "Attributes.entry.1.key": "Policy", "Attributes.entry.1.value": "{}",
      "TagKeys.member.1": "a", "TagKeys.member.10": "c", "TagKeys.member.2": "b",
      Plain: "p",
    });
    expect(nested).toEqual({
      Tags: [{ Key: "k1", Value: "v1" }, { Key: "k2", Value: "v2" }],
      Attribute: [{ Name: "DelaySeconds", Value: "5" }],
      Attributes: { Policy: "{}" },
      TagKeys: ["a", "b", "c"],
      Plain: "p",
    });
  });

  it("is not fooled by prototype names", () => {
    const nested = nestParams({ "__proto__.polluted": "yes", "constructor.prototype.x": "1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(nested).toBeDefined();
  });
});

describe("XML writer", () => {
  it("escapes text", () => {
    expect(escapeXml(`a<b>&"c"'d'\r`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#xD;");
    expect(escapeXml("plain")).toBe("plain");
  });

  it("writes members in order, lists as <member>, skipping null and undefined", () => {
    expect(toXml({ A: "x&y", B: 2, C: false, D: undefined, E: null, L: [{ K: "1" }, { K: "2" }], Empty: [], O: {} })).toBe(
      "<A>x&amp;y</A><B>2</B><C>false</C><L><member><K>1</K></member><member><K>2</K></member></L><Empty></Empty><O></O>",
    );
  });
});
