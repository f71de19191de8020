// IAM's input validation, with its wording ("1 validation error detected: …").
import { parsePolicy } from "@/semantics/iam-policy";
import type { PolicyKind } from "@/semantics/iam-policy";
import { invalidInput, limitExceeded, malformedPolicyDocument, validationError } from "./errors";

const NAME = /^[\w+=,.@-]+$/;

export function requireString(input: Record<string, unknown>, member: string): string {
  const v = input[member];
  if (typeof v !== "string" || v === "") {
    throw validationError(`1 validation error detected: Value null at '${camel(member)}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw validationError(`Value at '${camel(member)}' must be a string.`);
  return v;
}

function camel(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

export function checkName(value: string, member: string, max: number): string {
  if (value.length > max || !NAME.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value.slice(0, 128)}' at '${camel(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+` +
        (value.length > max ? ` and have length less than or equal to ${max}` : ""),
    );
  }
  return value;
}

export function checkPath(value: string | undefined): string {
  const path = value ?? "/";
  if (path.length > 512 || !/^\/(?:[\x21-\x7e]*\/)?$/.test(path)) {
    throw validationError(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  }
  return path;
}

export function intOf(input: Record<string, unknown>, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n)) throw validationError(`Value '${String(v).slice(0, 40)}' at '${camel(member)}' must be an integer.`);
  return n;
}

/** Validates a policy document as IAM does; returns it unchanged (IAM keeps the text as given). */
export function checkPolicyDocument(text: string, kind: PolicyKind, maxChars: number, quotaName: string): string {
  // IAM counts the document without whitespace against its quotas.
  if (text.replace(/\s/g, "").length > maxChars) throw limitExceeded(`Cannot exceed quota for ${quotaName}: ${maxChars}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument("This policy contains invalid Json");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformedPolicyDocument("This policy contains invalid Json");
  const parsed = parsePolicy(json as Record<string, unknown>, { kind });
  if (!parsed.ok) throw malformedPolicyDocument(parsed.error.replace(/^MalformedPolicyDocument:\s*/, ""));
  return text;
}

export function checkTags(value: unknown): { Key: string; Value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidInput("Tags must be a list of {Key, Value}.");
  if (value.length > 50) throw limitExceeded("Cannot exceed quota for TagsPerRole: 50");
  return value.map((t: unknown) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    if (typeof tag.Key !== "string" || tag.Key === "" || tag.Key.length > 128) throw invalidInput("Each tag needs a Key of 1 to 128 characters.");
    const v = tag.Value ?? "";
    if (typeof v !== "string" || v.length > 256) throw invalidInput("A tag Value has at most 256 characters.");
    return { Key: tag.Key, Value: v };
  });
}
