// AWS's grammar for the two names that reach the sandbox from a request and end up in keys,
// ARNs and file paths: region names and account ids. Anything else is refused before it is
// used, so a region of ".." or an account of "../x" never becomes part of a path.

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1.
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;

export function isRegion(name: string): boolean {
  return REGION.test(name);
}

export function isAccountId(id: string): boolean {
  return ACCOUNT_ID.test(id);
}
