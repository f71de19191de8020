import { describe, expect, it } from "vitest";
import { newExternalId, isValidExternalId } from "@/lib/connections/external-id";
import { open, seal, SecretBoxError } from "@/lib/connections/secret-box";

const SECRET = "a-test-auth-secret-that-is-long-enough-0123456789";

describe("secret box", () => {
  it("round-trips, and never stores the plaintext", () => {
    const sealed = seal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", SECRET);
    expect(sealed).not.toContain("wJalrXUtnFEMI");
    expect(open(sealed, SECRET)).toBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  });

  it("uses a fresh IV each time", () => {
    expect(seal("same", SECRET)).not.toBe(seal("same", SECRET));
  });

  it("refuses a tampered ciphertext, tag or IV", () => {
    const sealed = seal("the secret key", SECRET);
    const parts = sealed.split(".");
    for (const i of [1, 2, 3]) {
      const p = [...parts];
      const chars = (p[i] ?? "").split("");
      chars[0] = chars[0] === "A" ? "B" : "A";
      p[i] = chars.join("");
      expect(() => open(p.join("."), SECRET)).toThrow(SecretBoxError);
    }
    expect(() => open(sealed.slice(0, -2), SECRET)).toThrow(SecretBoxError);
    expect(() => open("v2." + parts.slice(1).join("."), SECRET)).toThrow(SecretBoxError);
  });

  it("refuses another AUTH_SECRET's box", () => {
    expect(() => open(seal("x", SECRET), SECRET + "-other")).toThrow(SecretBoxError);
  });
});

describe("external id", () => {
  it("is random, at least 128 bits, and valid for sts:ExternalId", () => {
    const a = newExternalId();
    const b = newExternalId();
    expect(a).not.toBe(b);
    expect(isValidExternalId(a)).toBe(true);
    expect(/[0-9a-f]+$/.exec(a)?.[0].length ?? 0).toBeGreaterThanOrEqual(32);
  });
});
