// IP address and CIDR handling, written by hand (no Node `net`) so semantics/ stays pure.
// Addresses become fixed-width lowercase hex strings (8 digits for IPv4, 32 for IPv6), so a
// CIDR block is a plain lexicographic range check, as in AWS's event-ruler.

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function ipv4ToHex(ip: string): string | null {
  if (!IPV4.test(ip)) return null;
  return ip
    .split(".")
    .map((p) => hex(Number(p), 2))
    .join("");
}

function ipv6ToHex(ip: string): string | null {
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || ip.length > 45) return null;
  let text = ip;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two ordinary hex groups.
  if (text.includes(".")) {
    const lastColon = text.lastIndexOf(":");
    const v4 = ipv4ToHex(text.slice(lastColon + 1));
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${v4.slice(0, 4)}:${v4.slice(4)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string): string[] | null => {
    if (s === "") return [];
    const groups = s.split(":");
    for (const g of groups) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    return groups.map((g) => g.toLowerCase().padStart(4, "0"));
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !rest) return null;
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    return [...head, ...Array<string>(fill).fill("0000"), ...rest].join("");
  }
  return head.length === 8 ? head.join("") : null;
}

/** Canonical hex form of an IPv4 or IPv6 literal, or null when `ip` is not one. */
export function ipToHex(ip: string): string | null {
  return ipv4ToHex(ip) ?? (ip.includes(":") ? ipv6ToHex(ip) : null);
}

export type IpRange = { bottom: string; top: string };

/**
 * Parses a CIDR block like event-ruler's CIDR.cidr: the bottom of the range is the address as
 * written (not masked), the top is that address with all host bits set. Returns AWS's reason
 * text on error.
 */
export function parseCidr(text: string): { ok: true; range: IpRange } | { ok: false; reason: string } {
  // Java's String.split drops trailing empty strings: "10.0.0.0/" has one part.
  const parts = text.split("/");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) return { ok: false, reason: "Malformed CIDR, one '/' required" };
  const [ipPart, maskPart] = parts as [string, string];
  if (!/^[+-]?[0-9]{1,10}$/.test(maskPart) || Math.abs(Number(maskPart)) > 2147483647) {
    return { ok: false, reason: "Malformed CIDR, mask bits must be an integer" };
  }
  const mask = Number(maskPart);
  if (mask < 0) return { ok: false, reason: "Malformed CIDR, mask bits must not be negative" };
  const base = ipToHex(ipPart);
  if (base === null) return { ok: false, reason: `Nonstandard IP address: ${ipPart}` };
  const bits = base.length * 4;
  if (bits === 32 && mask > 31) return { ok: false, reason: "IPv4 mask bits must be < 32" };
  if (bits === 128 && mask > 127) return { ok: false, reason: "IPv6 mask bits must be < 128" };
  let top = "";
  for (let d = 0; d < base.length; d++) {
    const digit = parseInt(base[d] as string, 16);
    const hostBitsInDigit = Math.min(4, Math.max(0, (d + 1) * 4 - mask));
    top += (digit | ((1 << hostBitsInDigit) - 1)).toString(16);
  }
  return { ok: true, range: { bottom: base, top } };
}

export function inRange(hexIp: string, range: IpRange): boolean {
  return hexIp.length === range.bottom.length && hexIp >= range.bottom && hexIp <= range.top;
}
