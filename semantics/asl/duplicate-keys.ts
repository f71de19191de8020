import type { Diagnostic } from "./types";

/**
 * Finds state names written twice in one "States" object of a JSON text. JSON.parse would
 * silently keep the last one; Step Functions refuses the definition with
 * DUPLICATE_STATE_NAME. A small scanner over the text, iterative so depth cannot overflow
 * the stack; it assumes the text already parsed as JSON.
 */
export function findDuplicateStateNames(text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  // One frame per open object/array: its pointer, keys seen, the key awaiting a value.
  const stack: { pointer: string; isObject: boolean; keys: Set<string>; pendingKey?: string; index: number }[] = [];
  let expectKey = false;
  let i = 0;
  const readString = (): string => {
    let j = i + 1;
    let raw = "";
    while (j < text.length && text[j] !== '"') {
      if (text[j] === "\\") {
        raw += text.slice(j, j + 2);
        j += 2;
      } else raw += text[j++];
    }
    i = j + 1;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const childPointer = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    if (top.isObject) return `${top.pointer}/${top.pendingKey ?? ""}`;
    return `${top.pointer}[${top.index}]`;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      stack.push({ pointer: childPointer(), isObject: ch === "{", keys: new Set(), index: 0 });
      expectKey = ch === "{";
      i++;
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      expectKey = false;
      i++;
    } else if (ch === '"') {
      const top = stack[stack.length - 1];
      const value = readString();
      if (top?.isObject && expectKey) {
        if (top.keys.has(value) && /(^|\/)States$/.test(top.pointer)) {
          out.push({ code: "DUPLICATE_STATE_NAME", message: `Duplicate State name: ${value}`, location: `${top.pointer}/${value}` });
        }
        top.keys.add(value);
        top.pendingKey = value;
        expectKey = false;
      }
    } else if (ch === ",") {
      const top = stack[stack.length - 1];
      if (top?.isObject) expectKey = true;
      else if (top) top.index++;
      i++;
    } else {
      i++;
    }
  }
  return out;
}
