// The outbound-address policy (semantics/net) that env.checkOutbound applies.
import { describe, expect, it } from "vitest";
import { checkUrl, isAddressAllowed, parseAllowedEndpoints, parseIp } from "@/semantics/net";

const local = { policy: "local" as const, allowed: [] };
const hosted = { policy: "hosted" as const, allowed: [] };

describe("outbound addresses", () => {
  it("parses IPv4, IPv6 and IPv4-mapped IPv6", () => {
    expect(parseIp("10.1.2.3")).toEqual({ version: 4, value: 0x0a010203n });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("[fe80::1%eth0]")?.version).toBe(6);
    expect(parseIp("::ffff:127.0.0.1")).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp("::ffff:7f00:1")).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp("2001:db8::1.2.3.4")?.version).toBe(6);
    for (const bad of ["256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "::1::", "example.com", "", "1.2.3.04444"]) expect(parseIp(bad)).toBeUndefined();
  });

  it("local mode allows loopback and private addresses", () => {
    for (const ip of ["127.0.0.1", "::1", "10.0.0.1", "192.168.1.10", "93.184.216.34"]) expect(isAddressAllowed(ip, local)).toBe(true);
  });

  it("hosted mode refuses loopback, link-local, private, unique-local, unspecified and multicast", () => {
    const refused = ["127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "fe80::1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "fc00::1", "fd12::1", "0.0.0.0", "224.0.0.1", "ff02::1", "::ffff:169.254.169.254", "::", "100.64.0.1"];
    for (const ip of refused) expect(isAddressAllowed(ip, hosted), ip).toBe(false);
    for (const ip of ["93.184.216.34", "172.32.0.1", "2606:4700::1111", "8.8.8.8"]) expect(isAddressAllowed(ip, hosted), ip).toBe(true);
  });

  it("hosted mode allows what ALLOWED_ENDPOINTS lists (CIDRs and addresses)", () => {
    const opts = { policy: "hosted" as const, allowed: parseAllowedEndpoints("10.1.0.0/16, 127.0.0.1 http://hooks.internal:8080") };
    expect(opts.allowed).toEqual(["10.1.0.0/16", "127.0.0.1", "hooks.internal"]);
    expect(isAddressAllowed("10.1.200.3", opts)).toBe(true);
    expect(isAddressAllowed("10.2.0.1", opts)).toBe(false);
    expect(isAddressAllowed("127.0.0.1", opts)).toBe(true);
    expect(isAddressAllowed("127.0.0.2", opts)).toBe(false);
  });
});

describe("checkUrl", () => {
  const dns = (table: Record<string, string[]>) => async (host: string) => {
    const found = table[host];
    if (!found) throw new Error("ENOTFOUND");
    return found;
  };

  it("accepts only http and https", async () => {
    expect(await checkUrl("ftp://example.com/", dns({}), local)).toMatchObject({ ok: false });
    expect(await checkUrl("file:///etc/passwd", dns({}), local)).toMatchObject({ ok: false });
    expect(await checkUrl("not a url", dns({}), local)).toMatchObject({ ok: false });
    expect(await checkUrl("http://127.0.0.1:3000/hook", dns({}), local)).toEqual({ ok: true });
  });

  it("checks every resolved address in hosted mode", async () => {
    const resolve = dns({ "public.example": ["93.184.216.34"], "sneaky.example": ["93.184.216.34", "10.0.0.5"], "meta.example": ["169.254.169.254"] });
    expect(await checkUrl("https://public.example/x", resolve, hosted)).toEqual({ ok: true });
    const sneaky = await checkUrl("https://sneaky.example/x", resolve, hosted);
    expect(sneaky).toMatchObject({ ok: false });
    expect(!sneaky.ok && sneaky.reason).toContain("10.0.0.5");
    expect(await checkUrl("http://meta.example/latest", resolve, hosted)).toMatchObject({ ok: false });
    expect(await checkUrl("http://[::1]:80/", resolve, hosted)).toMatchObject({ ok: false });
    expect(await checkUrl("http://missing.example/", resolve, hosted)).toMatchObject({ ok: false });
  });

  it("lets a listed hostname through (exact or *.domain)", async () => {
    const resolve = dns({ "hooks.internal": ["10.0.0.7"], "a.corp.example": ["10.0.0.8"] });
    const opts = { policy: "hosted" as const, allowed: ["hooks.internal", "*.corp.example"] };
    expect(await checkUrl("http://hooks.internal/x", resolve, opts)).toEqual({ ok: true });
    expect(await checkUrl("http://a.corp.example/x", resolve, opts)).toEqual({ ok: true });
    expect(await checkUrl("http://corp.example.evil/x", dns({ "corp.example.evil": ["10.0.0.9"] }), opts)).toMatchObject({ ok: false });
  });
});
