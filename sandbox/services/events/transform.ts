// What a target receives: the whole event, a constant Input, the part an InputPath selects, or an
// InputTransformer's template filled from InputPathsMap. EventBridge's JSONPath is a small subset
// (dot names with dashes, underscores and slashes; array indices; `*`), so a small evaluator here
// gives exactly that subset rather than a general JSONPath library's extras.

export type PathSegment = { kind: "name"; name: string } | { kind: "index"; index: number } | { kind: "wildcard" };

/** Parses `$`, `$.a.b-c`, `$.items[0]`, `$.items[*].id`, `$['odd name']`; null when not that subset. */
export function parseJsonPath(path: string): PathSegment[] | null {
  if (!path.startsWith("$")) return null;
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z0-9_\-/:@$]+)/.exec(rest))) segments.push({ kind: "name", name: m[1] as string });
    else if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) segments.push({ kind: "wildcard" });
    else if ((m = /^\[(\d+)\]/.exec(rest))) segments.push({ kind: "index", index: Number(m[1]) });
    else if ((m = /^\['([^']*)'\]/.exec(rest)) || (m = /^\["([^"]*)"\]/.exec(rest))) segments.push({ kind: "name", name: m[1] as string });
    else return null;
    i += m[0].length;
  }
  return segments;
}

/** The value at the path; with a wildcard, the array of every match. undefined when nothing matches. */
export function evaluateJsonPath(segments: readonly PathSegment[], root: unknown): unknown {
  let current: unknown[] = [root];
  let wildcard = false;
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === "name") {
        if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, seg.name)) {
          next.push((v as Record<string, unknown>)[seg.name]);
        }
      } else if (seg.kind === "index") {
        if (Array.isArray(v) && seg.index < v.length) next.push(v[seg.index]);
      } else {
        wildcard = true;
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === "object") next.push(...Object.values(v));
      }
    }
    current = next;
  }
  if (wildcard) return current.length ? current : undefined;
  return current[0];
}

export const PREDEFINED_VARIABLES = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event.ingestion-time",
  "aws.events.event",
  "aws.events.event.json",
] as const;

// A placeholder is `<` name `>`; EventBridge offers no way to escape the angle brackets.
// A fresh RegExp per use: a shared global one would carry lastIndex from one call to the next.
const placeholders = () => /<([^<>\s]+)>/g;

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** Why PutTargets refuses this transformer (AWS's wording where known), or null when it is fine. */
export function transformerProblem(targetId: string, t: InputTransformer): string | null {
  const map = t.InputPathsMap ?? {};
  const keys = Object.keys(map);
  if (keys.length > 100) return `InputPathsMap for target ${targetId} has more than 100 entries.`;
  for (const key of keys) {
    if ((PREDEFINED_VARIABLES as readonly string[]).includes(key) || key.toLowerCase().startsWith("aws.")) {
      return `InputTransformer for target ${targetId} contains a reserved variable name: ${key}.`;
    }
    const path = map[key];
    if (typeof path !== "string" || !parseJsonPath(path)) {
      return `InputPathsMap for target ${targetId} contains an invalid JSON path: ${String(path)}.`;
    }
  }
  for (const m of t.InputTemplate.matchAll(placeholders())) {
    const name = m[1] as string;
    if (!keys.includes(name) && !(PREDEFINED_VARIABLES as readonly string[]).includes(name)) {
      return `InputTemplate for target ${targetId} contains invalid placeholder ${name}.`;
    }
  }
  return null;
}

export interface RuleInfo {
  ruleArn: string;
  ruleName: string;
  /** ISO 8601, when EventBridge received the event. */
  ingestionTime: string;
}

/** Fills an InputTemplate. JSON templates (starting with `{` or `[`) are filled JSON-aware, as AWS does. */
export function renderTemplate(t: InputTransformer, event: Record<string, unknown>, info: RuleInfo): string {
  const values = new Map<string, unknown>();
  for (const [key, path] of Object.entries(t.InputPathsMap ?? {})) {
    const segments = parseJsonPath(path);
    values.set(key, segments ? evaluateJsonPath(segments, event) : undefined);
  }
  const { detail: _detail, ...withoutDetail } = event;
  values.set("aws.events.rule-arn", info.ruleArn);
  values.set("aws.events.rule-name", info.ruleName);
  values.set("aws.events.event.ingestion-time", info.ingestionTime);
  values.set("aws.events.event", withoutDetail);
  values.set("aws.events.event.json", event);

  const template = t.InputTemplate;
  const placeholder = placeholders();
  const json = /^\s*[{[]/.test(template);
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < template.length; ) {
    const ch = template[i] as string;
    if (ch === "<") {
      placeholder.lastIndex = i;
      const m = placeholder.exec(template);
      if (m && m.index === i && values.has(m[1] as string)) {
        const value = values.get(m[1] as string);
        out += json ? (inString ? insideJsonString(value) : asJsonValue(value)) : asText(value);
        i += m[0].length;
        escaped = false;
        continue;
      }
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    out += ch;
    i++;
  }
  return out;
}

// Outside quotes in a JSON template a variable becomes a JSON value: strings gain quotes; a path
// that matched nothing becomes null so the result stays valid JSON.
function asJsonValue(v: unknown): string {
  return v === undefined ? "null" : JSON.stringify(v);
}

// Inside quotes the value is spliced into the string, escaped so the string stays valid JSON;
// a path that matched nothing contributes nothing (what AWS delivers: "detail " in its recordings).
function insideJsonString(v: unknown): string {
  if (v === undefined) return "";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return JSON.stringify(text).slice(1, -1);
}

// A plain-text template ("instance <id> is <state>") takes strings as they are.
function asText(v: unknown): string {
  if (v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export interface TargetInput {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

/** The body the target receives for this event. */
export function renderTargetInput(target: TargetInput, event: Record<string, unknown>, info: RuleInfo): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const segments = parseJsonPath(target.InputPath);
    const value = segments ? evaluateJsonPath(segments, event) : undefined;
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (target.InputTransformer) return renderTemplate(target.InputTransformer, event, info);
  return JSON.stringify(event);
}
