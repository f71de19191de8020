// The grammar of the identifiers Lambda builds ARNs, store keys and folder names from. Private to
// Lambda until the core's shared validator lands (the lead merges the two); the patterns are
// AWS's: a 12-digit account id, a region such as us-east-1, us-gov-west-1 or us-isob-east-1, and
// Lambda's function-name pattern.

export const ACCOUNT_ID = /^\d{12}$/;
/** A region without anchors or capturing groups, to embed in larger patterns (ARNs). */
export const REGION_BODY = "[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\\d+";
export const REGION = new RegExp(`^${REGION_BODY}$`);
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export const isAccountId = (v: unknown): v is string => typeof v === "string" && ACCOUNT_ID.test(v);
export const isRegion = (v: unknown): v is string => typeof v === "string" && REGION.test(v);
export const isFunctionName = (v: unknown): v is string => typeof v === "string" && FUNCTION_NAME.test(v);
