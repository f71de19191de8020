// IAM's input validation, with its wording ("1 validation error detected: …").
import { parsePolicy } from "@/semantics/iam-policy";
import type { PolicyKind } from "@/semantics/iam-policy";
import { InvalidInput, MalformedPolicyDocument, ValidationError, memberConstraint, memberMustNotBeNull, quotaExceeded } from "./errors";

const NAME = /^[\w+=,.@-]+$/;

export function requireString(input: Record<string, unknown>, member: string): string {
  const v = input[member];
  if (typeof v !== "string" || v === "") {
    throw memberMustNotBeNull(camel(member));
  }
  return v;
}

export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw ValidationError(`Value at '${camel(member)}' must be a string.`);
  return v;
}

function camel(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

export function checkName(value: string, member: string, max: number): string {
  if (value.length > max || !NAME.test(value)) {
    throw memberConstraint(
      value.slice(0, 128),
      camel(member),
      "Member must satisfy regular expression pattern: [\\w+=,.@-]+" + (value.length > max ? ` and have length less than or equal to ${max}` : ""),
    );
  }
  return value;
}

export function checkPath(value: string | undefined): string {
  const path = value ?? "/";
  if (path.length > 512 || !/^\/(?:[\x21-\x7e]*\/)?$/.test(path)) {
    throw ValidationError(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  }
  return path;
}

export function intOf(input: Record<string, unknown>, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n)) throw ValidationError(`Value '${String(v).slice(0, 40)}' at '${camel(member)}' must be an integer.`);
  return n;
}

/** Validates a policy document as IAM does; returns it unchanged (IAM keeps the text as given). */
export function checkPolicyDocument(text: string, kind: PolicyKind, maxChars: number, quotaName: string): string {
  // IAM counts the document without whitespace against its quotas.
  if (text.replace(/\s/g, "").length > maxChars) throw quotaExceeded(quotaName, maxChars);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw MalformedPolicyDocument("This policy contains invalid Json");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw MalformedPolicyDocument("This policy contains invalid Json");
  const parsed = parsePolicy(json as Record<string, unknown>, { kind });
  if (!parsed.ok) throw MalformedPolicyDocument(parsed.error.replace(/^MalformedPolicyDocument:\s*/, ""));
  return text;
}

export function checkTags(value: unknown): { Key: string; Value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw InvalidInput("Tags must be a list of {Key, Value}.");
  if (value.length > 50) throw quotaExceeded("TagsPerRole", 50);
  return value.map((t: unknown) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    if (typeof tag.Key !== "string" || tag.Key === "" || tag.Key.length > 128) throw InvalidInput("Each tag needs a Key of 1 to 128 characters.");
    const v = tag.Value ?? "";
    if (typeof v !== "string" || v.length > 256) throw InvalidInput("A tag Value has at most 256 characters.");
    return { Key: tag.Key, Value: v };
  });
}
