// The learner's ExternalId: the shared secret of the grader role's trust policy. Random, 160
// bits (ARCHITECTURE.md asks for at least 128), so one learner's role cannot be assumed with
// another's connection (the confused-deputy problem ExternalId exists for).
import { randomBytes } from "node:crypto";

const PREFIX = "lab-grader-";

export function newExternalId(): string {
  return PREFIX + randomBytes(20).toString("hex");
}

/** AWS's own rule for sts:ExternalId values: 2–1224 characters of [\w+=,.@:/-]. */
export function isValidExternalId(value: string): boolean {
  return /^[\w+=,.@:/-]{2,1224}$/.test(value);
}
