// The outbound-address policy (ENDPOINT_POLICY, ALLOWED_ENDPOINTS): where the platform and the
// sandbox may send requests (LocalStack endpoints, webhooks, SNS http/https subscriptions).
// Local mode trusts the machine's own network; hosted mode refuses every address that reaches
// inside the host's network — loopback, link-local (cloud metadata), private and unique-local
// ranges — unless the operator lists it. Addresses are judged after DNS resolution: a public
// name that resolves to a private address is refused.
import type { Cidr, ParsedIp } from "./ip";
import { inCidr, parseCidr, parseIp } from "./ip";

export interface OutboundPolicy {
  policy: "local" | "hosted";
  /** CIDRs, single addresses, or hostnames ("hooks.example.com", "*.example.com"). */
  allowed: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const ranges = (list: [string, string][]) => list.map(([cidr, name]) => ({ cidr: parseCidr(cidr) as Cidr, name }));

// Never a destination in either mode (unless listed): "this network", multicast, broadcast.
const NEVER = ranges([
  ["0.0.0.0/8", "the unspecified network 0.0.0.0/8"],
  ["224.0.0.0/4", "multicast 224.0.0.0/4"],
  ["240.0.0.0/4", "reserved 240.0.0.0/4 (including broadcast)"],
  ["::/128", "the unspecified address ::"],
  ["ff00::/8", "multicast ff00::/8"],
]);

// Refused in hosted mode (unless listed): everything inside the host's network.
const INTERNAL = ranges([
  ["127.0.0.0/8", "loopback 127.0.0.0/8"],
  ["::1/128", "loopback ::1"],
  ["169.254.0.0/16", "link-local 169.254.0.0/16 (cloud metadata)"],
  ["fe80::/10", "link-local fe80::/10"],
  ["10.0.0.0/8", "private 10.0.0.0/8"],
  ["172.16.0.0/12", "private 172.16.0.0/12"],
  ["192.168.0.0/16", "private 192.168.0.0/16"],
  ["100.64.0.0/10", "shared address space 100.64.0.0/10"],
  ["fc00::/7", "unique-local fc00::/7"],
]);

function listedCidrs(allowed: readonly string[]): Cidr[] {
  return allowed.map((a) => parseCidr(a.trim())).filter((c): c is Cidr => c !== undefined);
}

/** Why an address is refused, or undefined when it is allowed. */
export function addressRefusal(ip: string, options: OutboundPolicy): string | undefined {
  const parsed: ParsedIp | undefined = parseIp(ip);
  if (!parsed) return `"${ip}" is not an IP address.`;
  if (listedCidrs(options.allowed).some((c) => inCidr(parsed, c))) return undefined;
  const never = NEVER.find((r) => inCidr(parsed, r.cidr));
  if (never) return `${ip} is in ${never.name}, which is never a valid destination.`;
  if (options.policy === "hosted") {
    const internal = INTERNAL.find((r) => inCidr(parsed, r.cidr));
    if (internal) return `${ip} is in ${internal.name}, which hosted mode refuses (ENDPOINT_POLICY=hosted); list it in ALLOWED_ENDPOINTS to allow it.`;
  }
  return undefined;
}

export function isAddressAllowed(ip: string, options: OutboundPolicy): boolean {
  return addressRefusal(ip, options) === undefined;
}

/** Whether a hostname is listed (exactly, or under a "*.domain" entry). */
export function isHostListed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/\.$/, "");
    if (e === "" || parseCidr(e)) return false;
    if (e.startsWith("*.")) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
    return h === e;
  });
}

export type Resolver = (host: string) => Promise<string[]>;

/** Checks a URL: http/https only; a listed hostname passes; otherwise every resolved address must be allowed. */
export async function checkUrl(url: string, resolve: Resolver, options: OutboundPolicy): Promise<Verdict> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `"${url.slice(0, 200)}" is not a valid URL.` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { ok: false, reason: `Only http and https URLs are allowed, not ${parsed.protocol.replace(/:$/, "")}.` };
  }
  const host = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host === "") return { ok: false, reason: "The URL has no host." };
  if (parseIp(host)) {
    const why = addressRefusal(host, options);
    return why === undefined ? { ok: true } : { ok: false, reason: why };
  }
  if (isHostListed(host, options.allowed)) return { ok: true };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    return { ok: false, reason: `The host ${host} could not be resolved (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (addresses.length === 0) return { ok: false, reason: `The host ${host} resolves to no address.` };
  for (const a of addresses) {
    const why = addressRefusal(a, options);
    if (why !== undefined) return { ok: false, reason: `The host ${host} resolves to ${a}: ${why}` };
  }
  return { ok: true };
}

/** Parses ALLOWED_ENDPOINTS: comma- or whitespace-separated entries; URLs are reduced to their host. */
export function parseAllowedEndpoints(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter((e) => e !== "")
    .map((e) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(e)) {
        try {
          const h = new URL(e).hostname;
          return h.startsWith("[") ? h.slice(1, -1) : h;
        } catch {
          return e;
        }
      }
      return e;
    });
}
