import { runtimeError } from "./errors";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import type { IntrinsicEnv } from "./intrinsics";
import { readPath } from "./paths";

/**
 * Payload templates (Parameters, ResultSelector, ItemSelector): a key ending in `.$` takes
 * its value from a path into the input, a `$$` path into the context object, or an
 * intrinsic function; every other value is copied as is, nested objects included.
 */
export function evaluatePayload(template: unknown, env: IntrinsicEnv, depth = 0): unknown {
  if (depth > 64) throw runtimeError("The payload template is nested too deeply.");
  if (Array.isArray(template)) return template.map((v) => evaluatePayload(v, env, depth + 1));
  if (typeof template !== "object" || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith(".$")) {
      out[key] = evaluatePayload(value, env, depth + 1);
      continue;
    }
    const name = key.slice(0, -2);
    if (typeof value !== "string") throw runtimeError(`The value for the field '${key}' must be a STRING that contains a JSONPath.`);
    if (isIntrinsic(value)) {
      out[name] = evaluateIntrinsic(value, env);
      continue;
    }
    const r = readPath(value, env.input, env.context);
    if (!r.found) {
      const where = value.startsWith("$$") ? "the context object" : `the input '${JSON.stringify(env.input)}'`;
      throw runtimeError(`The JSONPath '${value}' specified for the field '${key}' could not be found in ${where}`);
    }
    out[name] = r.value;
  }
  return out;
}
