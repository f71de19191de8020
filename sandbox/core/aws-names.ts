// AWS's grammar for the names that reach the sandbox from a request and end up in keys, ARNs and
// file paths: partitions, region names, account ids and role ARNs. Anything else is refused
// before it is used, so a region of ".." or an account of "../x" never becomes part of a path.
// Every service reads these from here rather than keeping a pattern of its own.

/** A region without anchors or groups that capture, to embed in larger patterns (ARNs). */
export const REGION_PATTERN = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}";
/** aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b… */
export const PARTITION_PATTERN = "aws(?:-[a-z]+)*";

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1.
const REGION = new RegExp(`^${REGION_PATTERN}$`);
const ACCOUNT_ID = /^\d{12}$/;
// arn:aws:iam::123456789012:role/optional/path/Name — IAM's path and role-name character sets.
const ROLE_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:iam::(\\d{12}):role/((?:[\\x21-\\x7e]*/)?)([\\w+=,.@-]{1,64})$`);

export function isRegion(name: unknown): boolean {
  return typeof name === "string" && REGION.test(name);
}

export function isAccountId(id: unknown): boolean {
  return typeof id === "string" && ACCOUNT_ID.test(id);
}

export interface RoleArn {
  arn: string;
  accountId: string;
  /** "/" or "/path/". */
  path: string;
  name: string;
}

/** A role ARN by IAM's grammar, or undefined. */
export function parseRoleArn(arn: unknown): RoleArn | undefined {
  const m = typeof arn === "string" ? ROLE_ARN.exec(arn) : null;
  if (!m) return undefined;
  return { arn: arn as string, accountId: m[1] as string, path: `/${m[2] as string}`, name: m[3] as string };
}
