// AWS Signature Version 4 as the server checks it: parse the Authorization header, rebuild the
// canonical request from what arrived on the wire, and compare signatures in constant time.
// Derived signing keys are cached per (secret, date, region, service) — they change once a day,
// and deriving one costs four HMACs.
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isRegion } from "./aws-names";
import { digest, digestHex } from "./digest";

export interface CredentialScope {
  accessKeyId: string;
  date: string; // yyyymmdd
  region: string;
  service: string;
}

export interface ParsedAuthorization extends CredentialScope {
  signedHeaders: string[];
  /** The SignedHeaders field as sent (`a;b;c`), as the canonical request repeats it. */
  signedHeaderList: string;
  /** `date/region/service/aws4_request`, as the string to sign repeats it. */
  scope: string;
  signature: string;
}

/** A parse failure says which AWS error it is: a malformed header, or a scope AWS would not sign for. */
export type AuthParse =
  | { ok: true; auth: ParsedAuthorization }
  /** `service`: the scope's service when the header named one, so the error is answered in its protocol. */
  | { ok: false; reason: "incomplete" | "mismatch"; message: string; service?: string };

const ALGORITHM = "AWS4-HMAC-SHA256";

// A client sends the same Credential and SignedHeaders on every request of a day; only the
// Signature (last) changes. Parsed prefixes are cached; a cache that is safe to lose.
const parseCache = new Map<string, ParsedAuthorization>();
const SIGNATURE_MARK = "Signature=";
// The last prefix parsed, checked before the map: one client repeats one prefix all day, and a
// startsWith compare is cheaper than hashing the ~150-character prefix for a map lookup.
let lastPrefix = "";
let lastParsed: ParsedAuthorization | undefined;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/sqs/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string): AuthParse {
  const mark = header.lastIndexOf(SIGNATURE_MARK);
  const signature = mark < 0 ? "" : header.slice(mark + SIGNATURE_MARK.length);
  const cacheable = mark > 0 && !signature.includes(",");
  if (cacheable) {
    if (lastParsed !== undefined && mark === lastPrefix.length && header.startsWith(lastPrefix)) {
      return { ok: true, auth: withSignature(lastParsed, signature) };
    }
    const prefix = header.slice(0, mark);
    const hit = parseCache.get(prefix);
    if (hit) {
      lastPrefix = prefix;
      lastParsed = hit;
      return { ok: true, auth: withSignature(hit, signature) };
    }
  }
  const parsed = parseAuthorizationFully(header);
  if (parsed.ok && cacheable) {
    if (parseCache.size >= 1024) parseCache.clear();
    lastPrefix = header.slice(0, mark);
    lastParsed = parsed.auth;
    parseCache.set(lastPrefix, parsed.auth);
  }
  return parsed;
}

/**
 * A cached parse with this request's signature. Spelled out rather than spread: V8 gives
 * `{ ...cached, signature }` a new hidden class on every request, which showed in the profile.
 */
function withSignature(p: ParsedAuthorization, signature: string): ParsedAuthorization {
  return {
    accessKeyId: p.accessKeyId,
    date: p.date,
    region: p.region,
    service: p.service,
    signedHeaders: p.signedHeaders,
    signedHeaderList: p.signedHeaderList,
    scope: p.scope,
    signature,
  };
}

function parseAuthorizationFully(header: string): AuthParse {
  if (!header.startsWith(ALGORITHM + " ")) {
    return { ok: false, reason: "incomplete", message: `Authorization header requires the ${ALGORITHM} algorithm.` };
  }
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    const name = trimmed.slice(0, eq);
    const value = trimmed.slice(eq + 1);
    if (name === "Credential") credential = value;
    else if (name === "SignedHeaders") signedHeaders = value;
    else if (name === "Signature") signature = value;
  }
  const missing = [
    credential === undefined && "Credential",
    signedHeaders === undefined && "SignedHeaders",
    signature === undefined && "Signature",
  ].filter(Boolean);
  if (missing.length > 0 || credential === undefined || signedHeaders === undefined || signature === undefined) {
    return {
      ok: false,
      reason: "incomplete",
      message: `Authorization header requires '${missing.join("', '")}' parameter${missing.length > 1 ? "s" : ""}. Authorization=${header.slice(0, 200)}`,
    };
  }
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !/^\d{8}$/.test(scope[1] ?? "") || !scope[0] || !scope[2] || !scope[3]) {
    return { ok: false, reason: "incomplete", message: `Credential should be scoped to a valid region, service and date: ${credential.slice(0, 200)}` };
  }
  // The region becomes part of keys and paths downstream: only AWS's region names pass (AWS
  // itself answers a scope it does not serve with SignatureDoesNotMatch and this message).
  if (!isRegion(scope[2])) {
    return { ok: false, reason: "mismatch", message: `Credential should be scoped to a valid region, not '${scope[2].slice(0, 64)}'.`, service: scope[3] };
  }
  return {
    ok: true,
    auth: {
      accessKeyId: scope[0],
      date: scope[1] as string,
      region: scope[2],
      service: scope[3],
      signedHeaders: signedHeaders.split(";"),
      signedHeaderList: signedHeaders,
      scope: credential.slice(scope[0].length + 1),
      signature,
    },
  };
}

const keyCache = new Map<string, SigningKey>();
const KEY_CACHE_LIMIT = 2048;

/**
 * A derived signing key with its HMAC pads (RFC 2104: the key XOR 0x36 and XOR 0x5c, one SHA-256
 * block each), so that signing a request is two one-shot digests — about half what createHmac
 * costs per request, which sets up a keyed context every time.
 */
export interface SigningKey {
  key: Buffer;
  innerPad: Buffer;
  outerPad: Buffer;
}

function withPads(key: Buffer): SigningKey {
  const innerPad = Buffer.alloc(64, 0x36);
  const outerPad = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < key.length; i++) {
    innerPad[i]! ^= key[i]!;
    outerPad[i]! ^= key[i]!;
  }
  return { key, innerPad, outerPad };
}

// Reused for every signature: the pad followed by the message (grown when a message is longer).
let scratch = Buffer.alloc(1024);
const outerScratch = Buffer.alloc(64 + 32);

/** HMAC-SHA256(key, message), equal to createHmac's (test/unit/sandbox/core/sigv4.test.ts). */
export function hmacWithKey(k: SigningKey, message: string): Buffer {
  const needed = 64 + Buffer.byteLength(message, "utf8");
  if (needed > scratch.length) scratch = Buffer.alloc(needed * 2);
  k.innerPad.copy(scratch, 0);
  scratch.write(message, 64, "utf8");
  k.outerPad.copy(outerScratch, 0);
  digest("sha256", scratch.subarray(0, needed)).copy(outerScratch, 64);
  return digest("sha256", outerScratch);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

// The last key handed out, checked before building the map key: four string compares.
let lastKey: { secret: string; date: string; region: string; service: string; key: SigningKey } | undefined;

export function signingKey(secret: string, date: string, region: string, service: string): SigningKey {
  const last = lastKey;
  if (last !== undefined && last.secret === secret && last.date === date && last.region === region && last.service === service) return last.key;
  const key = signingKeyFromCache(secret, date, region, service);
  lastKey = { secret, date, region, service, key };
  return key;
}

function signingKeyFromCache(secret: string, date: string, region: string, service: string): SigningKey {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    // A cache that is safe to lose: dropped wholesale rather than tracked as an LRU.
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    key = withPads(hmac(hmac(hmac(hmac("AWS4" + secret, date), region), service), "aws4_request"));
    keyCache.set(cacheKey, key);
  }
  return key;
}

export function sha256Hex(data: Buffer | string): string {
  return digestHex("sha256", data);
}

// RFC 3986 encoding as SigV4 wants it: everything but unreserved characters.
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI of a non-S3 request: the path as sent, with dot segments and empty segments
 * removed (as the SDKs normalise), encoded once more (the SDKs and botocore double-encode).
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === "/" || rawPath === "") return "/";
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${rawPath.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && rawPath.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalized).replace(/%2F/g, "/");
}

export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = uriEncode(safeDecode(eq < 0 ? part : part.slice(0, eq)));
    if (key === "X-Amz-Signature") continue;
    pairs.push([key, uriEncode(safeDecode(eq < 0 ? "" : part.slice(eq + 1)))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  const text = Array.isArray(v) ? v.join(",") : v;
  // Most values need no folding: test before building a new string.
  return NEEDS_FOLDING.test(text) ? text.trim().replace(/\s+/g, " ") : text;
}
// Leading or trailing whitespace, a run of spaces, or any whitespace other than a space.
const NEEDS_FOLDING = /^\s|\s$|\s\s|[^\S ]/;

export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: "incomplete" | "mismatch" | "expired"; message: string };

const MAX_SKEW_MS = 15 * 60 * 1000;
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

interface RequestDate {
  ms: number;
  /** The date in ISO 8601 basic form (`20261126T101500Z`), as the string to sign carries it. */
  basic: string;
}

// The last date parsed: a client's requests within one second carry the same X-Amz-Date.
let lastDateText = "";
let lastDate: RequestDate | undefined;

function requestDate(text: string): RequestDate | undefined {
  if (text !== lastDateText) {
    const ms = parseDate(text);
    lastDate = ms === undefined ? undefined : { ms, basic: BASIC_DATE.test(text) ? text : isoBasic(ms) };
    lastDateText = text;
  }
  return lastDate;
}
const BASIC_DATE = /^\d{8}T\d{6}Z$/;

/** `20261126T101500Z` → epoch ms, or undefined when malformed. */
export function parseAmzDate(text: string): number | undefined {
  return requestDate(text)?.ms;
}

function parseDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) {
    const t = Date.parse(text); // the Date header, in HTTP date form
    return Number.isNaN(t) ? undefined : t;
  }
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Whether `hex` is exactly the lowercase hex form of `expected`, in time that does not depend on
 * where they differ (as timingSafeEqual, without decoding the hex into a buffer first: two calls
 * into C++ fewer on every request).
 */
export function sameSignature(expected: Buffer, hex: string): boolean {
  if (hex.length !== expected.length * 2) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    diff |= ((hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1))) ^ expected[i]!;
  }
  return diff === 0;
}

/** A lowercase hex digit's value; 0x100 (which no byte equals) for anything else. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return 0x100;
}

/**
 * Whether a request declares its body unsigned (`x-amz-content-sha256: UNSIGNED-PAYLOAD`). Amazon
 * S3 allows that; the services the sandbox speaks hash the body into every signature, so such a
 * request is refused — with any key, including `test`, whose signature is never checked.
 */
export function unsignedPayload(headers: IncomingHttpHeaders): boolean {
  const declared = headers["x-amz-content-sha256"];
  // Also S3's STREAMING-UNSIGNED-PAYLOAD-TRAILER, and a header sent twice (Node joins the values).
  return declared !== undefined && String(declared).includes("UNSIGNED-PAYLOAD");
}

export const UNSIGNED_PAYLOAD_REFUSED =
  "The request declares x-amz-content-sha256: UNSIGNED-PAYLOAD. This service signs the request body (an unsigned payload is an Amazon S3 feature): sign the SHA-256 of the body instead.";

/** Verifies a header-signed request against the secret of its access key. */
export function verifySignature(req: SignedRequest, auth: ParsedAuthorization, secret: string, now: number): VerifyResult {
  const amzDateText = headerValue(req.headers, "x-amz-date") ?? headerValue(req.headers, "date");
  if (amzDateText === undefined) {
    return { ok: false, reason: "incomplete", message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  if (!auth.signedHeaders.includes("host")) {
    return { ok: false, reason: "incomplete", message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  }
  const date = requestDate(amzDateText);
  if (date === undefined) {
    return { ok: false, reason: "incomplete", message: `Date must be in ISO-8601 'basic format'. Got '${amzDateText.slice(0, 40)}'.` };
  }
  const at = date.ms;
  if (Math.abs(now - at) > MAX_SKEW_MS) {
    const earlier = at < now;
    return {
      ok: false,
      reason: "expired",
      message: earlier
        ? `Signature expired: ${isoBasic(at)} is now earlier than ${isoBasic(now - MAX_SKEW_MS)} (${isoBasic(now)} - 15 min.)`
        : `Signature not yet current: ${isoBasic(at)} is still later than ${isoBasic(now + MAX_SKEW_MS)} (${isoBasic(now)} + 15 min.)`,
    };
  }
  const amzDate = date.basic;
  if (amzDate.slice(0, 8) !== auth.date) {
    return { ok: false, reason: "mismatch", message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDateText}'.` };
  }

  // The body is always part of the signature: the hash is computed here, never taken from the
  // request (so UNSIGNED-PAYLOAD, an S3 feature, can only fail; see unsignedPayload).
  const payloadHash = sha256Hex(req.body);
  const declared = headerValue(req.headers, "x-amz-content-sha256");
  // The declared hash is signed, so a body that does not match it was altered on the way.
  if (declared !== undefined && declared !== payloadHash) {
    return { ok: false, reason: "mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }

  let canonicalHeaders = "";
  for (const name of auth.signedHeaders) canonicalHeaders += `${name}:${headerValue(req.headers, name) ?? ""}\n`;
  const canonicalRequest = `${req.method}\n${canonicalUri(req.rawPath)}\n${canonicalQuery(req.rawQuery)}\n${canonicalHeaders}\n${auth.signedHeaderList}\n${payloadHash}`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${auth.scope}\n${sha256Hex(canonicalRequest)}`;
  const expected = hmacWithKey(signingKey(secret, auth.date, auth.region, auth.service), stringToSign);
  if (!sameSignature(expected, auth.signature)) return { ok: false, reason: "mismatch", message: MISMATCH };
  return { ok: true };
}
