import { describe, expect, it } from "vitest";
import { JOIN_CODE_ALPHABET, newJoinCode, normalizeJoinCode } from "@/lib/cohorts/join-code";

describe("join codes", () => {
  it("are 8 characters with no look-alikes", () => {
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01IO]/);
    const codes = new Set(Array.from({ length: 2000 }, newJoinCode));
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    // 40 random bits: 2,000 draws never collide in practice.
    expect(codes.size).toBe(2000);
  });

  it("read what a learner typed: any case, spaces and dashes ignored", () => {
    expect(normalizeJoinCode("  abcd-efgh ")).toBe("ABCDEFGH");
    expect(normalizeJoinCode("AB CD EF GH")).toBe("ABCDEFGH");
  });

  it("refuse what cannot be a code", () => {
    for (const bad of ["", "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGI", "ABCD;EFG", "x".repeat(1000)]) expect(normalizeJoinCode(bad)).toBeNull();
  });
});
