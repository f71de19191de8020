// Reads JSON text the way AWS's rule compilers do (Jackson streaming parser): only the first
// value is read, trailing text is ignored, and a syntax error is reported with Jackson's wording
// and location ("... at [Source: (String)"..."; line: 1, column: 5]") because that text is what
// EventBridge and SNS put in their error messages.
//
// The scan is iterative (an explicit stack), so a 100k-deep document cannot overflow the call
// stack; it also measures the nesting depth so callers can refuse deep input before recursing.

export type JsonTextResult =
  | { ok: true; value: unknown; depth: number }
  | { ok: false; reason: string };

const MAX_SOURCE_ECHO = 500; // Jackson truncates the echoed source after this many chars

export function sourceRef(text: string, line: number, column: number): string {
  const shown =
    text.length > MAX_SOURCE_ECHO
      ? `${text.slice(0, MAX_SOURCE_ECHO)}"[truncated ${text.length - MAX_SOURCE_ECHO} chars]`
      : `${text}"`;
  return `[Source: (String)"${shown}; line: ${line}, column: ${column}]`;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 32) return `(CTRL-CHAR, code ${code})`;
  return `'${ch}' (code ${code})`;
}

function isIdentPart(ch: string): boolean {
  return /[\p{L}\p{N}_$]/u.test(ch);
}

type Frame = { kind: "object" | "array"; state: number; line: number; column: number };
// object states: 0 = expect name or '}', 1 = expect ':', 2 = expect value, 3 = expect ',' or '}', 4 = expect name
// array states: 0 = expect value or ']', 1 = expect ',' or ']', 2 = expect value

/** Scans `text`; on success parses the first JSON value (trailing text ignored). */
export function readJsonText(text: string): JsonTextResult {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const col = (pos: number) => pos - lineStart + 1;
  const fail = (msg: string, pos: number): JsonTextResult => ({
    ok: false,
    reason: `${msg}\n at ${sourceRef(text, line, col(pos))}`,
  });
  const skipWs = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) i++;
      else if (c === 10) {
        i++;
        line++;
        lineStart = i;
      } else break;
    }
  };

  const stack: Frame[] = [];
  let depth = 0;
  let maxDepth = 0;
  let start = -1;

  // Returns an error result, or null when a scalar/container start was consumed.
  const readValue = (): JsonTextResult | null => {
    const ch = text[i];
    if (ch === undefined) {
      return eof();
    }
    if (ch === "{" || ch === "[") {
      stack.push({ kind: ch === "{" ? "object" : "array", state: 0, line, column: col(i) });
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      i++;
      return null;
    }
    if (ch === '"') return readString(false);
    if (ch === "-" || (ch >= "0" && ch <= "9")) return readNumber();
    // bare words: true/false/null or an unrecognized token
    let j = i;
    while (j < text.length && isIdentPart(text[j] as string)) j++;
    if (j > i) {
      const word = text.slice(i, j);
      if (word === "true" || word === "false" || word === "null") {
        i = j;
        return null;
      }
      i = j;
      return fail(
        `Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
        j,
      );
    }
    return fail(`Unexpected character (${describeChar(ch)}): expected a value`, i);
  };

  const readString = (isName: boolean): JsonTextResult | null => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) break;
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            return fail(
              `Unexpected character (${describeChar(text[i + 2] ?? " ")}): expected a hex-digit for character escape sequence`,
              i + 3,
            );
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) {
          return fail(`Unrecognized character escape ${describeChar(e)}`, i + 2);
        }
        i += 2;
        continue;
      }
      if (c < 32) {
        return fail(
          `Illegal unquoted character (${describeChar(text[i] as string)}): has to be escaped using backslash to be included in ${isName ? "name" : "string value"}`,
          i + 1,
        );
      }
      i++;
    }
    return fail(
      `Unexpected end-of-input: was expecting closing quote for a string value`,
      text.length,
    );
  };

  const readNumber = (): JsonTextResult | null => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "-") {
      const bad = text[i + 1];
      return fail(
        `Unexpected character (${describeChar(bad ?? " ")}): expected digit`,
        i + 2,
      );
    }
    const next = text[i + m[0].length];
    if (m[1] === "0" && next !== undefined && next >= "0" && next <= "9") {
      return fail("Invalid numeric value: Leading zeroes not allowed", i + m[0].length + 1);
    }
    i += m[0].length;
    return null;
  };

  const eof = (): JsonTextResult => {
    const top = stack[stack.length - 1];
    if (!top) return fail("Unexpected end-of-input", text.length);
    const kind = top.kind === "object" ? "Object" : "Array";
    return fail(
      `Unexpected end-of-input: expected close marker for ${kind} (start marker at ${sourceRef(text, top.line, top.column)})`,
      text.length,
    );
  };

  skipWs();
  if (i >= text.length) return { ok: false, reason: "No content to map due to end-of-input" };
  start = i;
  const first = readValue();
  if (first) return first;

  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    skipWs();
    const ch = text[i];
    if (ch === undefined) return eof();
    if (top.kind === "object") {
      if (top.state === 0 || top.state === 4) {
        if (ch === "}" && top.state === 0) {
          i++;
          stack.pop();
          depth--;
          continue;
        }
        if (ch !== '"') {
          return fail(
            `Unexpected character (${describeChar(ch)}): was expecting double-quote to start field name`,
            i,
          );
        }
        const err = readString(true);
        if (err) return err;
        top.state = 1;
      } else if (top.state === 1) {
        if (ch !== ":") {
          return fail(
            `Unexpected character (${describeChar(ch)}): was expecting a colon to separate field name and value`,
            i,
          );
        }
        i++;
        top.state = 2;
      } else if (top.state === 2) {
        top.state = 3;
        const err = readValue();
        if (err) return err;
      } else {
        if (ch === ",") {
          i++;
          top.state = 4;
        } else if (ch === "}") {
          i++;
          stack.pop();
          depth--;
        } else {
          return fail(
            `Unexpected character (${describeChar(ch)}): was expecting comma to separate Object entries`,
            i,
          );
        }
      }
    } else {
      if (top.state === 0 && ch === "]") {
        i++;
        stack.pop();
        depth--;
        continue;
      }
      if (top.state === 0 || top.state === 2) {
        top.state = 1;
        const err = readValue();
        if (err) return err;
      } else if (ch === ",") {
        i++;
        top.state = 2;
      } else if (ch === "]") {
        i++;
        stack.pop();
        depth--;
      } else {
        return fail(
          `Unexpected character (${describeChar(ch)}): was expecting comma to separate Array entries`,
          i,
        );
      }
    }
  }

  try {
    return { ok: true, value: JSON.parse(text.slice(start, i)), depth: maxDepth };
  } catch (e) {
    // The scan above accepts only valid JSON, so this is a safety net, not an expected path.
    return { ok: false, reason: e instanceof Error ? e.message : "invalid JSON" };
  }
}

/**
 * Nesting depth of an already-parsed value, computed without recursion. Stops counting once
 * `limit` is exceeded so a hostile object costs at most `limit` levels of work per branch.
 */
export function measureDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (v === null || typeof v !== "object") continue;
    const nd = d + 1;
    if (nd > max) max = nd;
    if (nd > limit) return nd;
    if (++visited > 1_000_000) return Number.POSITIVE_INFINITY; // absurdly large input
    if (Array.isArray(v)) for (const x of v) stack.push({ v: x, d: nd });
    else for (const k in v as Record<string, unknown>) stack.push({ v: (v as Record<string, unknown>)[k], d: nd });
  }
  return max;
}

/**
 * Jackson's location just after the first token of `text` (a string token counts as read once
 * its opening quote is), as AWS reports it for "Filter is not an object".
 */
export function afterFirstToken(text: string): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < text.length && " \t\r\n".includes(text[i] as string)) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
    i++;
  }
  const ch = text[i];
  if (ch === "[" || ch === "{" || ch === '"') i++;
  else while (i < text.length && !" \t\r\n,]}".includes(text[i] as string)) i++;
  return { line, column: i - lineStart + 1 };
}
