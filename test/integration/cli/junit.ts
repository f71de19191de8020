// Reads lab-check's JUnit XML back the way a CI would: a real XML parser (fast-xml-parser), after
// checking the document is well-formed, into plain objects with numbers where JUnit has counts.
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface JunitOutcome {
  message: string;
  type?: string;
  text: string;
}

export interface JunitCase {
  classname: string;
  name: string;
  time: number;
  failure?: JunitOutcome;
  error?: JunitOutcome;
  skipped?: { message?: string };
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

export interface JunitSuite extends JunitCounts {
  name: string;
  timestamp: string;
  properties: Record<string, string>;
  testcases: JunitCase[];
}

export interface JunitReport extends JunitCounts {
  name: string;
  testsuites: JunitSuite[];
}

type Node = Record<string, unknown>;
const attrs = (n: Node) => n as Record<string, string>;
const counts = (n: Node): JunitCounts => ({
  tests: Number(attrs(n).tests),
  failures: Number(attrs(n).failures),
  errors: Number(attrs(n).errors),
  skipped: Number(attrs(n).skipped),
  time: Number(attrs(n).time),
});

function outcome(n: unknown): JunitOutcome | undefined {
  if (n === undefined) return undefined;
  const o = (typeof n === "object" && n !== null ? n : { "#text": String(n) }) as Node;
  return { message: String(o.message ?? ""), ...(o.type !== undefined ? { type: String(o.type) } : {}), text: String(o["#text"] ?? "") };
}

export function parseJunit(xml: string): JunitReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`Not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    // Numeric character references (&#10; in attributes) decoded, as any XML parser a CI uses does.
    htmlEntities: true,
    isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
  }).parse(xml) as { testsuites: Node };
  const root = doc.testsuites;
  const suites = (root.testsuite ?? []) as Node[];
  return {
    name: attrs(root).name ?? "",
    ...counts(root),
    testsuites: suites.map((s) => ({
      name: attrs(s).name ?? "",
      timestamp: attrs(s).timestamp ?? "",
      ...counts(s),
      properties: Object.fromEntries((((s.properties as Node | undefined)?.property ?? []) as Node[]).map((p) => [String(p.name), String(p.value)])),
      testcases: ((s.testcase ?? []) as Node[]).map((c) => {
        const failure = outcome(c.failure);
        const error = outcome(c.error);
        return {
          classname: String(c.classname),
          name: String(c.name),
          time: Number(c.time),
          ...(failure ? { failure } : {}),
          ...(error ? { error } : {}),
          ...(c.skipped !== undefined ? { skipped: (typeof c.skipped === "object" && c.skipped !== null ? c.skipped : {}) as { message?: string } } : {}),
        };
      }),
    })),
  };
}
