// Local mode's Host and Origin allow-list: the sandbox's own addresses and SANDBOX_PUBLIC_URL.
import { describe, expect, it } from "vitest";
import { localHostPolicy, ownHosts } from "@/sandbox/core/host-policy";

describe("local host policy", () => {
  const publicUrl = "https://sandbox.example.edu";
  const policy = localHostPolicy(ownHosts("127.0.0.1", 4566, publicUrl), publicUrl);

  it("answers the listen address, its loopback aliases and the public URL's host", () => {
    for (const host of ["127.0.0.1:4566", "localhost:4566", "LOCALHOST:4566", "[::1]:4566", "sandbox.example.edu"]) expect(policy.refusal({ host })).toBeUndefined();
  });

  it("refuses any other Host, a loopback alias on another port, and a missing Host", () => {
    for (const host of ["evil.example", "evil.example:4566", "localhost:4567", "127.0.0.2:4566", undefined]) {
      expect(policy.refusal({ host })).toMatch(/answers only requests addressed to it/);
    }
  });

  it("refuses browser requests from other origins, and allows its own", () => {
    expect(policy.refusal({ host: "localhost:4566", origin: "https://evil.example" })).toMatch(/Origin "https:\/\/evil.example"/);
    expect(policy.refusal({ host: "localhost:4566", origin: "null" })).toBeDefined();
    expect(policy.refusal({ host: "localhost:4566", origin: "http://localhost:4566" })).toBeUndefined();
    expect(policy.refusal({ host: "sandbox.example.edu", origin: "https://sandbox.example.edu" })).toBeUndefined();
  });

  it("names a wildcard or IPv6 listen address as clients send it", () => {
    expect(ownHosts("0.0.0.0", 4566, undefined)).toContain("0.0.0.0:4566");
    expect(ownHosts("::1", 80, undefined)).toContain("[::1]:80");
  });
});
