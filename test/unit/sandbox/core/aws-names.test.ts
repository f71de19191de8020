// AWS's grammar for region names and account ids: what passes is what AWS names, and nothing
// that could walk out of a directory.
import { describe, expect, it } from "vitest";
import { isAccountId, isRegion } from "@/sandbox/core/aws-names";

describe("region names", () => {
  it.each(["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1", "cn-north-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "mx-central-1", "il-central-1"])(
    "accepts %s",
    (region) => expect(isRegion(region)).toBe(true),
  );
  it.each(["..", "", "us-east", "US-EAST-1", "us-east-1/..", "us-east-1\n", " us-east-1", "us_east_1", "us-east-1a", "../us-east-1", "us-east-123", "aws-global"])(
    "refuses %j",
    (region) => expect(isRegion(region)).toBe(false),
  );
});

describe("account ids", () => {
  it("accepts exactly twelve digits", () => {
    expect(isAccountId("000000000000")).toBe(true);
    expect(isAccountId("123456789012")).toBe(true);
    for (const bad of ["12345678901", "1234567890123", "12345678901a", "../123456789", "123456789012\n", ""]) expect(isAccountId(bad)).toBe(false);
  });
});
