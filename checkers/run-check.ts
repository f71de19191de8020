// Runs one check so that nothing escapes it: a decision that throws (an AWS call it awaited
// failed, or a bug) becomes a reported result, never a crashed step (cdk-nag's rule wrapper).
import type { CheckResult, Verdict } from "./types";
import { classifyError, errorText, type ClassifiedError } from "./errors";

export interface CheckMeta {
  id: string;
  title: string;
  /** The resource the check is about, named in error messages ("queue inventory-updates"). */
  resource: string;
  docs?: string;
}

/** Every message is a full sentence ending with a period, whoever wrote it. */
export function sentence(text: string): string {
  const t = text.trim();
  return t.endsWith(".") ? t : `${t}.`;
}

function finish(meta: CheckMeta, v: Omit<CheckResult, "id" | "title" | "docs">): CheckResult {
  const out: CheckResult = { id: meta.id, title: meta.title, status: v.status, message: sentence(v.message) };
  if (v.hint !== undefined && (v.status === "fail" || v.status === "error")) out.hint = sentence(v.hint);
  if (v.expected !== undefined) out.expected = v.expected;
  if (v.found !== undefined) out.found = v.found;
  if (meta.docs !== undefined) out.docs = meta.docs;
  return out;
}

/** The result for a failed AWS call or a thrown bug, by what the failure means. */
export function resultForError(meta: CheckMeta, err: unknown): CheckResult {
  const c: ClassifiedError = classifyError(err);
  const call = c.action ?? "an AWS API";
  switch (c.kind) {
    case "not-found":
      return finish(meta, {
        status: "fail",
        message: `The ${meta.resource} was not found (${c.code} from ${call})`,
        hint: `Create the ${meta.resource} in the region and account of your connection, then check again`,
      });
    case "access-denied":
      return finish(meta, {
        status: "error",
        message: `The grader is not allowed to call ${call} while checking the ${meta.resource} (${c.code})`,
        hint: `Add ${call} to the permission policy of the grader role (the policy the Connect page generates includes it), then check again`,
        expected: c.action ? { allowedAction: c.action } : undefined,
      });
    case "credentials":
      return finish(meta, {
        status: "error",
        message: `The target refused the grader's credentials while checking the ${meta.resource} (${c.code})`,
        hint: "Test the connection again on the Connect page; if you reset your sandbox account or changed the role, reconnect",
      });
    case "throttled":
      return finish(meta, {
        status: "error",
        message: `${call} was still throttled after 3 tries while checking the ${meta.resource} (${c.code})`,
        hint: "The account is making many calls right now; wait a minute and check again",
      });
    case "timeout":
      return finish(meta, {
        status: "error",
        message: `${call} did not answer in time, 3 tries, while checking the ${meta.resource}`,
        hint: "The endpoint is slow or overloaded; check again in a moment, and make sure the endpoint URL of your connection is right",
      });
    case "unreachable":
      return finish(meta, {
        status: "error",
        message: `The endpoint could not be reached while checking the ${meta.resource} (${c.code})`,
        hint: "Make sure the sandbox or LocalStack is running at the endpoint URL of your connection",
      });
    default:
      return finish(meta, {
        status: "error",
        message: `Checking the ${meta.resource} failed unexpectedly: ${errorText(err)}`,
        hint: "Check again; if this keeps happening, tell your instructor and include this message",
      });
  }
}

/** Runs a check's body (gather, then decide) and always returns a result. */
export async function runCheck(meta: CheckMeta, body: () => Verdict | Promise<Verdict>): Promise<CheckResult> {
  try {
    return finish(meta, await body());
  } catch (err) {
    return resultForError(meta, err);
  }
}
