// IP addresses as numbers, and CIDR ranges: enough to say which range an address is in.
// IPv4 addresses are 32-bit; IPv6 addresses 128-bit; an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) is judged as the IPv4 address it carries.

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

export function parseIPv6(input: string): bigint | undefined {
  let text = input;
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (text.length === 0 || text.length > 45) return undefined;
  // A trailing dotted IPv4 part counts as two groups.
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    const prefix = text.slice(0, lastColon + 1);
    // "::ffff:1.2.3.4" → "::ffff"; "::1.2.3.4" → "::".
    text = prefix.endsWith("::") ? prefix : prefix.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const group = (s: string) => (s === "" ? [] : s.split(":"));
  const head = group(halves[0] ?? "");
  const rest = halves.length === 2 ? group(halves[1] ?? "") : [];
  const groups: bigint[] = [];
  for (const g of [...head, ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
  }
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 && explicit !== 8) return undefined;
  if (halves.length === 2 && explicit > 7) return undefined;
  for (const g of head) groups.push(BigInt(parseInt(g, 16)));
  if (halves.length === 2) for (let i = 0; i < 8 - explicit; i++) groups.push(0n);
  for (const g of rest) groups.push(BigInt(parseInt(g, 16)));
  groups.push(...tail);
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIp(text: string): ParsedIp | undefined {
  const t = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = parseIPv4(t);
  if (v4 !== undefined) return { version: 4, value: v4 };
  if (!t.includes(":")) return undefined;
  const v6 = parseIPv6(t);
  if (v6 === undefined) return undefined;
  // IPv4-mapped: ::ffff:0:0/96.
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  const bitsText = slash < 0 ? String(width) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > width) return undefined;
  return { version: ip.version, base: ip.value >> BigInt(width - bits), bits };
}

export function inCidr(ip: ParsedIp, cidr: Cidr): boolean {
  if (ip.version !== cidr.version) return false;
  const width = ip.version === 4 ? 32 : 128;
  return ip.value >> BigInt(width - cidr.bits) === cidr.base;
}
